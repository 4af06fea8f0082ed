"""Deploy rendered output to moto's server, through CloudFormation and through Terraform, and
read back what moto holds as one engine-neutral snapshot.

moto's gaps are written down where they are worked around, each with the behaviour seen:

CloudFormation (moto 5.2): the copy of the template sent to moto differs from the generated one in
seven ways, none changing what is created:
  1. The Defaults of the AMI parameters (``HostImageId``, ``DirectorySetupImageId``) are dropped:
     moto resolves the default SSM path even when a value is given, and that public path cannot
     exist in moto (``/aws/`` names are reserved; HTTP 500).
  2. ``AWS::SSM::Parameter`` Tags become a Key/Value list: moto fails on CloudFormation's map.
  3. Outputs that ``Fn::GetAtt`` a resource type moto skips are dropped: describe_stacks fails.
  4. ``AWS::SSM::Document`` Content is sent as a JSON string, with its ``Fn::Sub`` parts resolved
     for moto's account and region: moto stores the object as a Python repr and then fails
     DescribeDocument.
  5. ``Ref`` to a resource type moto skips (the ``AWS::SecretsManager::Secret`` of the join
     account or the domainless user) becomes a made-up ARN of that name: moto resolves it to null
     and the role policy fails to compare. Snapshots name every such ARN ``<generated secret>``:
     Terraform's has a generated suffix, so the two engines' ARNs differ by design.
  6. ``Fn::GetAtt`` of the directory's ``DnsIpAddresses`` (a type moto skips), which the DNS
     forwarding endpoint's security group uses, becomes two made-up addresses: moto refuses the
     template ("references undefined resource Directory").
  7. The ``Custom::CredentialSpec`` resources are left out, and the services' DependsOn on them:
     moto would invoke their Lambda function, which it cannot run, and wait. Once the stack is
     created, the test does what CloudFormation does: it calls the function's inline handler
     (``Code.ZipFile``) with each resource's properties, resolved, against moto's S3
     (:func:`run_custom_resources`).
moto skips (creates nothing, reports no error for) the types in ``CFN_UNSUPPORTED`` (among them
Application Auto Scaling's: moto's CloudFormation has no model for them), and keeps
neither a launch template's ``UserData`` nor a task definition's ``PlacementConstraints`` that
CloudFormation passes it: the snapshot takes those two from the template (:func:`from_template`),
while Terraform's are read back from moto. moto's CloudFormation also ignores a load balancer's
``LoadBalancerAttributes``, a target group's ``TargetGroupAttributes`` and a security group's
``SecurityGroupEgress`` (the group keeps AWS's default egress): the snapshot leaves those out and
the tests assert them on the template and the Terraform plan. A listener's certificate must
exist in moto's ACM: :func:`prepare` requests one and puts its ARN in the blueprint's copy.

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
  * aws_appautoscaling_target, aws_appautoscaling_policy: moto's Application Auto Scaling has no
    ListTagsForResource, which the provider calls after RegisterScalableTarget (HTTP 500, retried
    for minutes); the target also needs the ECS service, which is planned only.
"""

from __future__ import annotations

import ast
import base64
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
    "AWS::Route53Resolver::ResolverEndpoint",
    "AWS::Route53Resolver::ResolverRule",
    "AWS::Route53Resolver::ResolverRuleAssociation",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
}
#: Types moto creates but lists without a physical id (``SecurityGroupIngress`` has none): the
#: snapshot reads their rules back from the security group they belong to.
CFN_WITHOUT_PHYSICAL_ID = {"AWS::EC2::SecurityGroupIngress"}
#: What moto's copy of a directory's DNS addresses becomes (adaptation 6).
MOTO_DIRECTORY_DNS = ["10.90.0.10", "10.90.1.10"]
TF_PLANNED_ONLY = {"aws_ssm_association", "aws_ecs_service", "aws_s3_bucket_policy", "aws_instance",
                   "aws_appautoscaling_target", "aws_appautoscaling_policy"}
AMI_PARAMETER = "/gen-tests/windows-ami"
ENDPOINT_SERVICES = ("acm", "appautoscaling", "autoscaling", "ds", "ec2", "ecs", "elbv2", "iam", "logs", "route53resolver",
                     "s3", "secretsmanager", "ssm", "sts")


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
    balancer = data.get("load_balancer")
    if balancer and balancer.get("certificate_arn"):
        balancer["certificate_arn"] = moto.client("acm", region).request_certificate(
            DomainName=f"{data['name']}.example.com")["CertificateArn"]
    blueprint = workdir / example.name
    with blueprint.open("w") as handle:
        yaml.dump(data, handle)
    loaded = load_blueprint(blueprint)
    rendered = render_blueprint(loaded, FORMATS)
    write_rendered(workdir / "out", rendered)
    return Variant(blueprint, build_plan(loaded.model, loaded.file), workdir / "out" / rendered.name)


# --- CloudFormation ------------------------------------------------------------------------------


def adapted_for_moto(template: dict[str, Any], region: str) -> dict[str, Any]:
    """The template with the moto adaptations of the module docstring."""
    skipped_refs = {name for name, r in template["Resources"].items() if r["Type"] == "AWS::SecretsManager::Secret"}
    text = json.dumps(template)
    for name in skipped_refs:
        text = text.replace(json.dumps({"Ref": name}), json.dumps(f"arn:aws:secretsmanager:us-east-1:123456789012:secret:gen-generated-{name}"))
    text = text.replace(json.dumps({"Fn::GetAtt": ["Directory", "DnsIpAddresses"]}), json.dumps(MOTO_DIRECTORY_DNS))
    template = json.loads(text)
    custom = {name for name, r in template["Resources"].items() if r["Type"].startswith("Custom::")}
    for name in custom:
        del template["Resources"][name]
    for resource in template["Resources"].values():
        if "DependsOn" in resource:
            depends = [d for d in ([resource["DependsOn"]] if isinstance(resource["DependsOn"], str) else resource["DependsOn"])
                       if d not in custom]
            if depends:
                resource["DependsOn"] = depends
            else:
                del resource["DependsOn"]
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
    #: Custom resource -> the status its handler sent (adaptation 7)
    custom: dict[str, str] = field(default_factory=dict)


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
    deployment = CfnDeployment(status, template, created, outputs, time.monotonic() - started)
    if status == "CREATE_COMPLETE":
        deployment.custom = run_custom_resources(moto, template, region, variant.plan.name)
    return deployment


def from_template(template: dict[str, Any], plan: Plan, region: str) -> dict[str, Any]:
    """The snapshot's user data and placement constraints, which moto's CloudFormation drops, as
    the template states them (``Fn::Sub`` resolved as moto would, generated secrets named alike)."""
    resources = template["Resources"]
    shot: dict[str, Any] = {"placement": {}}
    for service in plan.services:
        task = resources[f"{service.logical_id}TaskDefinition"]["Properties"]
        shot["placement"][service.family] = [{"type": c["Type"], "expression": c["Expression"]}
                                             for c in task.get("PlacementConstraints", [])]
    templates = [r for r in resources.values() if r["Type"] == "AWS::EC2::LaunchTemplate"]
    user_data = templates[0]["Properties"]["LaunchTemplateData"].get("UserData") if templates else None
    if user_data is not None and "Fn::Sub" in user_data["Fn::Base64"]:
        text = user_data["Fn::Base64"]["Fn::Sub"]
        for name, r in resources.items():
            if r["Type"] == "AWS::SecretsManager::Secret":
                text = text.replace("${" + name + "}", "<generated secret>")
        shot["user_data"] = _substituted({"Fn::Sub": text}, region)
    return shot


def run_custom_resources(moto: MotoServer, template: dict[str, Any], region: str, stack: str) -> dict[str, str]:
    """Adaptation 7: what CloudFormation does for each ``Custom::`` resource, a Create request to
    its function's inline handler, against moto. Returns each resource's response status."""
    import os
    import sys
    import types

    cfn = moto.client("cloudformation", region)
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]}

    def value(v: Any) -> Any:
        if isinstance(v, dict) and set(v) == {"Ref"}:
            return physical[v["Ref"]]
        if isinstance(v, dict) and set(v) == {"Fn::GetAtt"} and v["Fn::GetAtt"][1] == "Arn":
            return physical[v["Fn::GetAtt"][0]]
        if isinstance(v, dict):
            return _substituted(v, region)
        return v

    statuses: dict[str, str] = {}
    responses: list[str] = []
    fake = types.ModuleType("cfnresponse")
    fake.SUCCESS, fake.FAILED = "SUCCESS", "FAILED"
    fake.send = lambda event, context, status, *args, **kwargs: responses.append(status)
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ENDPOINT_URL=moto.url, AWS_DEFAULT_REGION=region)
    sys.modules["cfnresponse"] = fake
    try:
        for name, resource in template["Resources"].items():
            if not resource["Type"].startswith("Custom::"):
                continue
            properties = {k: value(v) for k, v in resource["Properties"].items() if k != "ServiceToken"}
            function = resource["Properties"]["ServiceToken"]["Fn::GetAtt"][0]
            module: dict[str, Any] = {}
            exec(compile(template["Resources"][function]["Properties"]["Code"]["ZipFile"], "index.py", "exec"), module)  # noqa: S102
            module["handler"]({"RequestType": "Create", "ResourceProperties": properties}, None)
            statuses[name] = responses[-1]
    finally:
        sys.modules.pop("cfnresponse", None)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return statuses


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
    ami = [f"-var=host_ami_parameter={AMI_PARAMETER}"] if variant.plan.hosts is not None else []
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


#: The secrets the stack generates (join account, domainless user): CloudFormation's moto copy
#: names them gen-generated-<logical id>, Terraform's carry a generated suffix.
GENERATED_SECRET = re.compile(
    r"arn:[^:\"]+:secretsmanager:[^:\"]+:[0-9]+:secret:(?:gen-generated-[\w/+=.@-]*|[\w/+=.@-]*-(?:ad-join|gmsa-reader)-[\w/+=.@-]*)")


def _statements(document: Any) -> list[tuple]:
    statements = json.loads(GENERATED_SECRET.sub("<generated secret>", json.dumps(_policy(document))))["Statement"]
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
    shot: dict[str, Any] = {"task_definitions": {}, "placement": {}, "specs": {}, "roles": {}, "log_groups": {}}
    for service in plan.services:
        definition = ecs.describe_task_definition(taskDefinition=service.family)["taskDefinition"]
        shot["task_definitions"][service.family] = definition["containerDefinitions"]
        shot["placement"][service.family] = definition.get("placementConstraints", [])
    for spec in plan.specs:
        # Only the stack's own specs exist in moto: the directory setup and the hosts never run there.
        if spec.writer == "stack" and spec.store == "ssm":
            shot["specs"][spec.location] = ssm.get_parameter(Name=spec.parameter_name)["Parameter"]["Value"].encode()
        elif spec.writer == "stack" and spec.store == "s3":
            bucket = resolved(spec.bucket, account_id)
            shot["specs"][f"s3://{bucket}/{spec.key}"] = s3.get_object(Bucket=bucket, Key=spec.key)["Body"].read()
    for role in plan.roles:
        if role is plan.spec_writer_role:
            continue  # CloudFormation's alone: Terraform writes the spec objects itself
        names = iam.list_role_policies(RoleName=role.name)["PolicyNames"]
        shot["roles"][role.name] = {
            name: _statements(iam.get_role_policy(RoleName=role.name, PolicyName=name)["PolicyDocument"]) for name in names
        }
        shot["roles"][role.name]["trust"] = _statements(iam.get_role(RoleName=role.name)["Role"]["AssumeRolePolicyDocument"])
    if plan.hosts is not None:
        shot.update(_hosts(plan, ec2, autoscaling))
    shot["cluster"] = [(c["clusterName"], c["status"]) for c in ecs.describe_clusters(clusters=[plan.cluster.name])["clusters"]]
    for service in plan.services:
        found = logs.describe_log_groups(logGroupNamePrefix=service.log_group)["logGroups"]
        shot["log_groups"][service.log_group] = [g.get("retentionInDays") for g in found if g["logGroupName"] == service.log_group]
    if plan.load_balancer is not None:
        shot["load_balancer"] = _load_balancer(plan, moto.client("elbv2", region), ec2)
    if plan.bootstrap is not None and plan.bootstrap.content is not None:
        document = ssm.get_document(Name=plan.bootstrap.document_name, DocumentFormat="JSON")["Content"]
        shot["bootstrap_document"] = _policy(document)
    return shot


def _hosts(plan: Plan, ec2: Any, autoscaling: Any) -> dict[str, Any]:
    """The hosts' Auto Scaling group, launch template (with Linux user data) and security group."""
    shot: dict[str, Any] = {}
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
    if data.get("UserData"):  # Linux hosts: the bash script, with generated secrets named alike
        shot["user_data"] = GENERATED_SECRET.sub("<generated secret>", base64.b64decode(data["UserData"]).decode())
    group_id = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [plan.hosts.name]}])["SecurityGroups"][0]
    shot["security_group"] = {
        # IpRanges is a set in AWS: its order carries no meaning.
        direction: sorted((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), tuple(sorted(r["CidrIp"] for r in p.get("IpRanges", []))))
                          for p in group_id[key])
        for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress"))
    }
    return shot


def _load_balancer(plan: Plan, elbv2: Any, ec2: Any) -> dict[str, Any]:
    """The load balancer, its listeners, rules and target groups, and its group's ingress, as
    moto holds them (attributes and egress: see the module docstring)."""
    lb = plan.load_balancer
    found = elbv2.describe_load_balancers(Names=[lb.name])["LoadBalancers"][0]
    groups = ec2.describe_security_groups(GroupIds=found["SecurityGroups"])["SecurityGroups"]
    names = {g["GroupId"]: g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    target_groups = elbv2.describe_target_groups(LoadBalancerArn=found["LoadBalancerArn"])["TargetGroups"]
    tg_names = {g["TargetGroupArn"]: g["TargetGroupName"] for g in target_groups}
    # The groups the load balancer is admitted by, and its own.
    planned = {lb.security_group, *([plan.hosts.name] if plan.hosts else []),
               *([plan.task_network.security_group] if plan.task_network else [])}

    def action(a: dict[str, Any]) -> tuple:
        if a["Type"] == "forward":
            return ("forward", tg_names.get(a.get("TargetGroupArn", ""), a.get("TargetGroupArn")))
        if a["Type"] == "redirect":
            config = a["RedirectConfig"]
            return ("redirect", config.get("Protocol"), str(config.get("Port")), config.get("StatusCode"))
        config = a["FixedResponseConfig"]
        return ("fixed-response", str(config.get("StatusCode")), config.get("ContentType"), config.get("MessageBody"))

    def condition(c: dict[str, Any]) -> tuple:
        config = c.get("HostHeaderConfig") or c.get("PathPatternConfig") or {}
        return (c["Field"], tuple(sorted(c.get("Values") or config.get("Values", []))))

    listeners, rules = {}, {}
    for listener in elbv2.describe_listeners(LoadBalancerArn=found["LoadBalancerArn"])["Listeners"]:
        listeners[listener["Port"]] = {
            "protocol": listener["Protocol"],
            # moto gives an HTTP listener created through the API the CLI's default policy.
            "ssl_policy": listener.get("SslPolicy") if listener["Protocol"] == "HTTPS" else None,
            "certificates": len(listener.get("Certificates", [])),
            "default": [action(a) for a in listener["DefaultActions"]],
        }
        for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
            if not rule.get("IsDefault"):
                rules[(listener["Port"], int(rule["Priority"]))] = (
                    sorted(condition(c) for c in rule["Conditions"]), [action(a) for a in rule["Actions"]])
    return {
        "load_balancer": (found["LoadBalancerName"], found["Scheme"], found["Type"], len(found["AvailabilityZones"]),
                          sorted(g["GroupName"] for g in groups)),
        "ingress": {g["GroupName"]: sorted((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"),
                                            tuple(sorted(r["CidrIp"] for r in p.get("IpRanges", []))),
                                            tuple(sorted(names.get(u["GroupId"], u["GroupId"]) for u in p.get("UserIdGroupPairs", []))))
                                           for p in g["IpPermissions"])
                    for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] in planned},
        "listeners": listeners,
        "rules": rules,
        "target_groups": {g["TargetGroupName"]: {
            "protocol": g["Protocol"], "port": g["Port"], "target_type": g["TargetType"],
            "health": (g["HealthCheckProtocol"], g["HealthCheckPort"], g["HealthCheckPath"], g["HealthCheckIntervalSeconds"],
                       g["HealthCheckTimeoutSeconds"], g["HealthyThresholdCount"], g["UnhealthyThresholdCount"],
                       g["Matcher"]["HttpCode"]),
        } for g in target_groups},
    }
