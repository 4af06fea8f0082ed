"""Deploy rendered output to moto's server, through CloudFormation and through Terraform, and
read back what moto holds as one engine-neutral snapshot.

moto's gaps are written down where they are worked around, each with the behaviour seen:

CloudFormation (moto 5.2): the copy of the template sent to moto differs from the generated one in
five ways, none changing what is created:
  1. The Defaults of the AMI parameters (``HostImageId``, ``DirectorySetupImageId``) are dropped:
     moto resolves the default SSM path even when a value is given, and that public path cannot
     exist in moto (``/aws/`` names are reserved; HTTP 500).
  2. ``AWS::SSM::Parameter`` Tags become a Key/Value list: moto fails on CloudFormation's map.
  3. Outputs that ``Fn::GetAtt`` a resource type moto skips are dropped: describe_stacks fails.
  4. ``AWS::SSM::Document`` Content is sent as a JSON string, with its ``Fn::Sub`` parts resolved
     for moto's account and region: moto stores the object as a Python repr and then fails
     DescribeDocument.
  5. ``Ref`` to a resource type moto skips (the join account's ``AWS::SecretsManager::Secret``)
     becomes a made-up ARN of that name: moto resolves it to null and the role policy fails to
     compare. Snapshots name every join secret ARN ``<join secret>``: Terraform's has a
     generated suffix, so the two engines' ARNs differ by design.
moto skips (creates nothing, reports no error for) the types in ``CFN_UNSUPPORTED``.

Terraform (hashicorp/aws 5.100 against moto 5.2): these are planned, not applied:
  * aws_ssm_association: CreateAssociation is not implemented (HTTP 500, retried for minutes).
    The copy applied to moto drops the hosts' dependency on the directory setup's association
    (``-target`` would otherwise pull the association in); the full plan keeps it.
  * aws_ecs_service: moto answers ``networkConfiguration: {}`` for a service without one and the
    provider panics reading it (flattenNetworkConfiguration).
  * aws_s3_bucket_policy: moto evaluates only StringEquals conditions, so the TLS-only Deny
    (Bool aws:SecureTransport) denies every request, TLS or not.
  * aws_instance (the directory setup's): its detailed monitoring calls MonitorInstances, which
    moto does not implement (NotImplementedError, retried for minutes).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from generator.blueprint.validate import load_blueprint
from generator.expr import resolved
from generator.output import write_rendered
from generator.plan import Plan, build_plan
from generator.render import FORMATS, render_blueprint
from tests.integration.conftest import MotoServer, TerraformTool

CFN_UNSUPPORTED = {
    "AWS::DirectoryService::MicrosoftAD",
    "AWS::SecretsManager::Secret",
    "AWS::ECS::CapacityProvider",
    "AWS::ECS::ClusterCapacityProviderAssociations",
    "AWS::SSM::Association",
    "AWS::S3::BucketPolicy",
}
TF_PLANNED_ONLY = {"aws_ssm_association", "aws_ecs_service", "aws_s3_bucket_policy", "aws_instance"}
AMI_PARAMETER = "/gen-tests/windows-ami"
ENDPOINT_SERVICES = ("autoscaling", "ds", "ec2", "ecs", "iam", "logs", "s3", "secretsmanager", "ssm", "sts")


@dataclass
class Variant:
    """An example blueprint rendered for moto's network, and its plan."""

    blueprint: Path
    plan: Plan
    out: Path  # out/<name>/


def prepare(moto: MotoServer, example: Path, workdir: Path) -> Variant:
    """Create the network, AMI parameter and secrets the example expects, and render a copy of the
    example whose VPC and subnet ids are moto's (the only change)."""
    yaml = YAML(typ="rt")
    data = yaml.load(example.read_text())
    region = data["region"]
    ec2 = moto.client("ec2", region)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    vpc = ec2.create_vpc(CidrBlock="10.90.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.90.{i}.0/24", AvailabilityZone=zones[i % len(zones)])["Subnet"]["SubnetId"]
        for i in range(len(data["network"]["subnet_ids"]))
    ]
    data["network"]["vpc_id"] = vpc
    for index, subnet in enumerate(subnets):
        data["network"]["subnet_ids"][index] = subnet
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    moto.client("ssm", region).put_parameter(Name=AMI_PARAMETER, Value=image, Type="String")
    managed = data["directory"].get("managed")
    if managed:
        # moto finds a secret by the name after "secret:", whatever the account in the ARN.
        name = managed["admin_password_secret"].split(":secret:", 1)[1]
        moto.client("secretsmanager", region).create_secret(
            Name=name, SecretString=json.dumps({"username": "Admin", "password": "Test-only-Passw0rd!"}))
    blueprint = workdir / example.name
    with blueprint.open("w") as handle:
        yaml.dump(data, handle)
    loaded = load_blueprint(blueprint)
    rendered = render_blueprint(loaded, FORMATS)
    write_rendered(workdir / "out", rendered)
    return Variant(blueprint, build_plan(loaded.model, loaded.file), workdir / "out" / rendered.name)


# --- CloudFormation ------------------------------------------------------------------------------


def adapted_for_moto(template: dict[str, Any], region: str) -> dict[str, Any]:
    """The template with the four moto adaptations of the module docstring."""
    skipped_refs = {name for name, r in template["Resources"].items() if r["Type"] == "AWS::SecretsManager::Secret"}
    text = json.dumps(template)
    for name in skipped_refs:
        text = text.replace(json.dumps({"Ref": name}), json.dumps(f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-ad-join-moto"))
    template = json.loads(text)
    for parameter in ami_parameters(template):
        template["Parameters"][parameter].pop("Default", None)
    skipped = {name for name, r in template["Resources"].items() if r["Type"] in CFN_UNSUPPORTED}
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::SSM::Parameter" and isinstance(properties.get("Tags"), dict):
            properties["Tags"] = [{"Key": k, "Value": v} for k, v in properties["Tags"].items()]
        if resource["Type"] == "AWS::SSM::Document":
            properties["Content"] = json.dumps(_substituted(properties["Content"], region))
    template["Outputs"] = {
        name: output for name, output in template.get("Outputs", {}).items()
        if not any(f'"Fn::GetAtt": ["{s}"' in json.dumps(output) or f'"{s}.' in json.dumps(output) for s in skipped)
    }
    return template


def _substituted(value: Any, region: str) -> Any:
    """``value`` with every ``Fn::Sub`` of pseudo parameters resolved as moto would."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        text = value["Fn::Sub"]
        for name, known in (("AWS::AccountId", "123456789012"), ("AWS::Region", region), ("AWS::Partition", "aws")):
            text = text.replace("${" + name + "}", known)
        return text.replace("${!", "${")
    if isinstance(value, dict):
        return {k: _substituted(v, region) for k, v in value.items()}
    if isinstance(value, list):
        return [_substituted(v, region) for v in value]
    return value


def ami_parameters(template: dict[str, Any]) -> list[str]:
    """The template's parameters that resolve an AMI id from SSM."""
    return [name for name, p in template.get("Parameters", {}).items() if p["Type"].startswith("AWS::SSM::Parameter::Value")]


@dataclass
class CfnDeployment:
    status: str
    template: dict[str, Any]
    created: set[str]
    outputs: dict[str, str]
    seconds: float
    snapshot: dict[str, Any] = field(default_factory=dict)
    readback: dict[str, Any] = field(default_factory=dict)


def deploy_cloudformation(moto: MotoServer, variant: Variant) -> CfnDeployment:
    from cfn_flip import load_yaml

    region = variant.plan.region
    template = json.loads(json.dumps(load_yaml((variant.out / "cloudformation" / "template.yaml").read_text())))
    cfn = moto.client("cloudformation", region)
    started = time.monotonic()
    cfn.create_stack(StackName=variant.plan.name, TemplateBody=json.dumps(adapted_for_moto(template, region)),
                     Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": p, "ParameterValue": AMI_PARAMETER} for p in ami_parameters(template)])
    status = "CREATE_IN_PROGRESS"
    deadline = time.monotonic() + 300
    while status.endswith("IN_PROGRESS") and time.monotonic() < deadline:
        status = cfn.describe_stacks(StackName=variant.plan.name)["Stacks"][0]["StackStatus"]
        time.sleep(0.2)
    stack = cfn.describe_stacks(StackName=variant.plan.name)["Stacks"][0]
    created = {r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName=variant.plan.name)["StackResourceSummaries"]
               if r["LogicalResourceId"] and r["PhysicalResourceId"]}
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return CfnDeployment(status, template, created, outputs, time.monotonic() - started)


# --- Terraform -----------------------------------------------------------------------------------


def moto_override(url: str) -> str:
    """Provider settings for moto, in an override file of the test's copy only."""
    endpoints = "\n".join(f'    {service:<14} = "{url}"' for service in ENDPOINT_SERVICES)
    return (
        'provider "aws" {\n  access_key                  = "testing"\n  secret_key                  = "testing"\n'
        "  skip_credentials_validation = true\n  skip_metadata_api_check     = true\n"
        "  skip_requesting_account_id  = false\n  s3_use_path_style           = true\n"
        f"  endpoints {{\n{endpoints}\n  }}\n}}\n"
    )


@dataclass
class TfDeployment:
    applied: list[str]
    planned_only: list[str]
    second_plan: list[dict[str, Any]]  # resource changes that are not no-ops
    full_plan: list[dict[str, Any]]
    seconds: float
    state: dict[str, Any]
    snapshot: dict[str, Any] = field(default_factory=dict)


def _changes(terraform: TerraformTool, module: Path, *args: str) -> list[dict[str, Any]]:
    terraform.run(module, "plan", "-input=false", "-no-color", "-out=check.tfplan", *args)
    shown = json.loads(terraform.run(module, "show", "-json", "check.tfplan").stdout)
    return [c for c in shown.get("resource_changes", []) if c["change"]["actions"] != ["no-op"]]


def apply_terraform(terraform: TerraformTool, moto: MotoServer, variant: Variant, workdir: Path) -> TfDeployment:
    module = workdir / "terraform"
    shutil.copytree(variant.out / "terraform", module)
    (module / "zz_moto_override.tf").write_text(moto_override(moto.url))
    hosts = module / "hosts.tf"
    hosts.write_text(hosts.read_text().replace(", aws_ssm_association.directory_setup]", "]"))
    ami = [f"-var=host_ami_parameter={AMI_PARAMETER}"]
    if variant.plan.directory_setup.managed:
        ami.append(f"-var=directory_setup_ami_parameter={AMI_PARAMETER}")
    started = time.monotonic()
    terraform.run(module, "init", "-input=false", "-no-color")
    terraform.run(module, "plan", "-input=false", "-no-color", "-out=full.tfplan", *ami)
    shown = json.loads(terraform.run(module, "show", "-json", "full.tfplan").stdout)
    resources = shown["configuration"]["root_module"]["resources"]
    managed = [r["address"] for r in resources if r["mode"] == "managed"]
    applied = [a for a in managed if a.split(".")[0] not in TF_PLANNED_ONLY]
    targets = [f"-target={a}" for a in applied]
    terraform.run(module, "apply", "-auto-approve", "-input=false", "-no-color", *ami, *targets, timeout=900)
    seconds = time.monotonic() - started
    second = _changes(terraform, module, *ami, *targets)
    full = _changes(terraform, module, *ami)
    state = json.loads(terraform.run(module, "show", "-json").stdout)
    return TfDeployment(applied, sorted(set(managed) - set(applied)), second, full, seconds, state)


# --- what moto holds -----------------------------------------------------------------------------


def _policy(document: Any) -> dict[str, Any]:
    """A policy document as moto returns it: a dict, JSON, or (for CloudFormation-created roles)
    a Python repr of the dict."""
    if isinstance(document, dict):
        return document
    try:
        return json.loads(document)
    except ValueError:
        return ast.literal_eval(document)


JOIN_SECRET = re.compile(r"arn:[^:\"]+:secretsmanager:[^:\"]+:[0-9]+:secret:[^:\"]*-ad-join-[^:\"]*")


def _statements(document: Any) -> list[tuple]:
    statements = json.loads(JOIN_SECRET.sub("<join secret>", json.dumps(_policy(document))))["Statement"]
    out = []
    listed = lambda v: tuple(sorted([v] if isinstance(v, str) else v))  # noqa: E731
    for s in statements if isinstance(statements, list) else [statements]:
        principal = s.get("Principal", {})
        principals = principal if isinstance(principal, str) else tuple(sorted((k, listed(v)) for k, v in principal.items()))
        out.append((s.get("Sid", ""), s["Effect"], listed(s["Action"]), listed(s.get("Resource", [])), principals))
    return sorted(out)


def snapshot(moto: MotoServer, plan: Plan, account_id: str = "123456789012") -> dict[str, Any]:
    """What moto holds for ``plan``, in a shape both engines can be compared in."""
    region = plan.region
    ecs, ssm, s3, iam = (moto.client(s, region) for s in ("ecs", "ssm", "s3", "iam"))
    ec2, autoscaling, logs = (moto.client(s, region) for s in ("ec2", "autoscaling", "logs"))
    shot: dict[str, Any] = {"task_definitions": {}, "specs": {}, "roles": {}, "log_groups": {}}
    for service in plan.services:
        definition = ecs.describe_task_definition(taskDefinition=service.family)["taskDefinition"]
        shot["task_definitions"][service.family] = definition["containerDefinitions"]
    for spec in plan.specs:
        # Only the stack's own specs exist in moto: the directory setup and the hosts never run there.
        if spec.writer == "stack" and spec.store == "ssm":
            shot["specs"][spec.location] = ssm.get_parameter(Name=spec.parameter_name)["Parameter"]["Value"].encode()
        elif spec.writer == "stack" and spec.store == "s3":
            bucket = resolved(spec.bucket, account_id)
            shot["specs"][f"s3://{bucket}/{spec.key}"] = s3.get_object(Bucket=bucket, Key=spec.key)["Body"].read()
    for role in plan.roles:
        names = iam.list_role_policies(RoleName=role.name)["PolicyNames"]
        shot["roles"][role.name] = {
            name: _statements(iam.get_role_policy(RoleName=role.name, PolicyName=name)["PolicyDocument"]) for name in names
        }
        shot["roles"][role.name]["trust"] = _statements(iam.get_role(RoleName=role.name)["Role"]["AssumeRolePolicyDocument"])
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[plan.hosts.name])["AutoScalingGroups"][0]
    shot["autoscaling_group"] = {
        "sizes": (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]),
        "tags": sorted((t["Key"], t["Value"], t["PropagateAtLaunch"]) for t in group["Tags"]),
        "subnets": len(group["VPCZoneIdentifier"].split(",")),
    }
    template = ec2.describe_launch_templates(LaunchTemplateNames=[plan.hosts.name])["LaunchTemplates"][0]
    data = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])["LaunchTemplateVersions"][-1]["LaunchTemplateData"]
    shot["launch_template"] = {
        "ImageId": data["ImageId"],
        "InstanceType": data["InstanceType"],
        "EbsOptimized": data.get("EbsOptimized"),
        "Monitoring": data.get("Monitoring"),
        "IamInstanceProfile": data.get("IamInstanceProfile"),
        "MetadataOptions": {k: data["MetadataOptions"].get(k) for k in ("HttpTokens", "HttpPutResponseHopLimit", "HttpEndpoint")},
        "BlockDeviceMappings": data.get("BlockDeviceMappings"),
        "SecurityGroups": len(data.get("SecurityGroupIds", [])),
    }
    group_id = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [plan.hosts.name]}])["SecurityGroups"][0]
    shot["security_group"] = {
        # IpRanges is a set in AWS: its order carries no meaning.
        direction: sorted((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), tuple(sorted(r["CidrIp"] for r in p.get("IpRanges", []))))
                          for p in group_id[key])
        for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress"))
    }
    shot["cluster"] = [(c["clusterName"], c["status"]) for c in ecs.describe_clusters(clusters=[plan.cluster.name])["clusters"]]
    for service in plan.services:
        found = logs.describe_log_groups(logGroupNamePrefix=service.log_group)["logGroups"]
        shot["log_groups"][service.log_group] = [g.get("retentionInDays") for g in found if g["logGroupName"] == service.log_group]
    document = ssm.get_document(Name=plan.bootstrap.document_name, DocumentFormat="JSON")["Content"]
    shot["bootstrap_document"] = _policy(document)
    return shot
