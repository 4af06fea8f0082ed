"""Two hundred services, split across stacks: cfn-lint finds nothing in any of them, and the base
stack then the service stacks deploy to moto in that order and read back as the blueprint says;
the Terraform of a thousand services passes terraform validate."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.blueprint.load import parse_document
from generator.blueprint.validate import validate_environments
from generator.output import write_rendered
from generator.render import FORMATS, render_blueprint
from tests.integration.conftest import MotoServer, TerraformTool
from tests.integration.deploy import AMI_PARAMETER, adapted_for_moto, ami_parameters
from tests.integration.test_static_checks import skip_without_required_provider
from tests.scale import blueprint_text

pytestmark = pytest.mark.integration
REGION = "us-east-1"


def _render(text: str, out: Path, formats: tuple[str, ...] = FORMATS) -> Path:
    [item] = validate_environments(parse_document(text, "scale.yaml"), strict=True)
    rendered = render_blueprint(item, formats)
    write_rendered(out, rendered)
    return out / rendered.name


def _deploy(moto: MotoServer, name: str, template: dict) -> str:
    cfn = moto.client("cloudformation", REGION)
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(adapted_for_moto(template, REGION)),
                     Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": p, "ParameterValue": AMI_PARAMETER} for p in ami_parameters(template)])
    status, deadline = "CREATE_IN_PROGRESS", time.monotonic() + 300
    while status.endswith("IN_PROGRESS") and time.monotonic() < deadline:
        time.sleep(0.1)
        status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    return status


def test_two_hundred_services_lint_clean_and_deploy_stack_by_stack(moto: MotoServer, tmp_path: Path) -> None:
    from cfn_flip import load_yaml

    ec2 = moto.client("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.90.0.0/16")["Vpc"]["VpcId"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    subnets = tuple(ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.90.{i}.0/24", AvailabilityZone=zones[i])["Subnet"]["SubnetId"]
                    for i in range(2))
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    moto.client("ssm", REGION).put_parameter(Name=AMI_PARAMETER, Value=image, Type="String")
    folder = _render(blueprint_text(200, vpc=vpc, subnets=subnets), tmp_path / "out", ("cloudformation",))
    files = sorted((folder / "cloudformation").glob("*.yaml"))
    assert files[-1].name == "template.yaml" and len(files) > 2

    cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
    result = subprocess.run([cfn_lint, "--format", "json", "--include-checks", "I", "--", *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert json.loads(result.stdout or "[]") == [] and result.returncode == 0, result.stdout + result.stderr

    # The base stack first: the service stacks import its exports, which must exist.
    base = json.loads(json.dumps(load_yaml(files[-1].read_text())))
    # moto skips AWS::ECS::CapacityProvider (deploy.CFN_UNSUPPORTED), so the export of its name
    # would be empty: it gets the name CloudFormation's Ref returns, as written in the template.
    provider = base["Resources"]["CapacityProvider"]["Properties"]["Name"]
    for output in base["Outputs"].values():
        if output["Value"] == {"Ref": "CapacityProvider"}:
            output["Value"] = provider
    assert _deploy(moto, "scale", base) == "CREATE_COMPLETE"
    for path in files[:-1]:
        assert _deploy(moto, f"scale-{path.stem}", json.loads(json.dumps(load_yaml(path.read_text())))) == \
            "CREATE_COMPLETE", path.name

    ecs = moto.client("ecs", REGION)
    arns = [a for page in ecs.get_paginator("list_services").paginate(cluster="scale") for a in page["serviceArns"]]
    assert sorted(a.rsplit("/", 1)[1] for a in arns) == [f"svc{i:04d}" for i in range(200)]
    # The services found the cluster through its export; moto keeps no task definition's execution
    # role from CloudFormation, so the export it was given is checked instead.
    task = ecs.describe_task_definition(taskDefinition="scale-svc0007")["taskDefinition"]
    assert task["containerDefinitions"][0]["credentialSpecs"] == [
        f"credentialspec:arn:aws:ssm:{REGION}:123456789012:parameter/scale/credentialspecs/Scale07"]
    role = moto.client("iam", REGION).get_role(RoleName="scale-task-execution")["Role"]["Arn"]
    exports = {e["Name"]: e["Value"] for e in moto.client("cloudformation", REGION).list_exports()["Exports"]}
    assert exports["scale-TaskExecutionRoleArn"] == role and exports["scale-ClusterName"] == "scale"
    spec = moto.client("ssm", REGION).get_parameter(Name="/scale/credentialspecs/Scale07")["Parameter"]["Value"]
    assert json.loads(spec)["DomainJoinConfig"]["DnsName"] == "corp.example.com"


def test_a_thousand_services_pass_terraform_validate(terraform: TerraformTool, tmp_path: Path) -> None:
    module = _render(blueprint_text(1000), tmp_path / "out", ("terraform",)) / "terraform"
    skip_without_required_provider(module, terraform)
    terraform.run(module, "init", "-backend=false", "-input=false", "-no-color")
    validated = json.loads(terraform.run(module, "validate", "-json", "-no-color", check=False).stdout)
    assert validated["valid"], validated["diagnostics"]
    assert validated["warning_count"] == 0, validated["diagnostics"]
