"""Would AWS run it? What the emulator cannot prove, asserted on the output of both engines.

moto skips SSM associations and cannot boot a Windows host, so these properties of a working
deployment are read off the CloudFormation template and the Terraform plan JSON (planned against
moto) of every example and good fixture:

- no task publishes a host port the ECS agent reserves (amazon-ecs-agent ``config_windows.go``:
  ``ReservedPorts``, and 80 when the hosts enable task IAM roles);
- every service's credential spec is written by something the service depends on, or by the
  hosts before their agent starts, or by the directory setup the hosts wait for;
- no role the hosts assume may read the directory's Admin secret, and the hosts join with
  another secret;
- the hosts depend on the directory setup of a directory the stack creates;
- no ingress is open to the whole internet unless the blueprint opts in;
- the Auto Scaling group depends on the cluster, and leaves its desired capacity to ECS;
- EC2 tasks are placed only on hosts that advertise the capability of the blueprint's gMSA mode
  (``ecs.capability.gmsa`` or ``ecs.capability.gmsa-domainless``, agent ``parse_windows.go`` and
  ``parse_linux.go``), and refer to their spec with the mode's prefix; Fargate tasks take no
  placement constraint;
- the hosts' agent starts with ``ECS_GMSA_SUPPORTED=true`` where it needs it to offer gMSA;
- behind a load balancer: routed tasks publish dynamic host ports (0) or, in awsvpc mode, their
  port; the hosts admit the load balancer's group alone on the agent's dynamic range, which the
  agent is told before it starts, and the load balancer reaches nothing else; port 80 redirects to
  HTTPS when there is a certificate, whose listener uses a TLS 1.2+ policy;
- an autoscaled service's count is not reset by a deploy (no DesiredCount in CloudFormation,
  ``ignore_changes`` in Terraform), and a routed service's default deployment starts a new task
  before it stops its only one.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.facts.agent import DYNAMIC_HOST_PORTS, DYNAMIC_HOST_PORTS_LINUX, RESERVED_HOST_PORTS, TASK_ROLE_PROXY_PORT
from generator.facts.aws import WORLD_CIDRS
from generator.output import write_rendered
from generator.render import FORMATS, render_blueprint
from generator.render.cloudformation import build_template
from tests.conftest import RENDERABLE, ids, load, plan_of
from tests.integration.conftest import MotoServer, TerraformTool
from tests.integration.deploy import AMI_PARAMETER, moto_override
from tests.integration.test_static_checks import skip_without_required_provider

pytestmark = pytest.mark.integration

SSM_NAME = re.compile(r":parameter(/[^\s\"']+)")
S3_KEY = re.compile(r":s3:::[^/]+/([^\s\"']+)")
FILE = re.compile(r"file://([^\s\"']+)")


@dataclass
class Output:
    """What one engine's output says, in the terms of the properties above."""

    engine: str
    #: service -> (network mode, host ports, credential spec reference)
    tasks: dict[str, tuple[str | None, list[int], str]]
    #: service -> names of what it depends on, with spec parameters as ``ssm:<name>`` and spec
    #: objects the stack writes as ``s3:<key>``
    service_dependencies: dict[str, set[str]]
    #: the Windows hosts' bootstrap document, or the Linux hosts' user data, line by line
    bootstrap_lines: list[str]
    setup_lines: list[str]
    host_policy: str  # the hosts' own policy, as text
    join_secret: str  # what the hosts join with, as text
    asg_dependencies: set[str] | None  # "cluster", "directory setup"; None without hosts
    asg_sets_desired: bool
    ingress_cidrs: list[str]
    #: service -> its placement constraint expressions
    placement: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def _ports(container: dict[str, Any]) -> list[int]:
    return [int(m.get("hostPort", m.get("HostPort", 0)) or 0) for m in container.get("portMappings", container.get("PortMappings", []))]


def _reference(container: dict[str, Any]) -> str:
    for key in ("credentialSpecs", "CredentialSpecs", "dockerSecurityOptions", "DockerSecurityOptions"):
        if container.get(key):
            return json.dumps(container[key][0])
    return ""


def cloudformation_output(path: Path) -> Output:
    template = build_template(plan_of(path)).to_dict()
    resources = template["Resources"]

    def of_type(kind: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in resources.items() if r["Type"] == kind}

    spec_names = {name: f"ssm:{r['Properties']['Name']}" for name, r in of_type("AWS::SSM::Parameter").items()}
    spec_names |= {name: f"s3:{r['Properties']['Key']}" for name, r in of_type("Custom::CredentialSpec").items()}
    tasks, dependencies, placement = {}, {}, {}
    for service in of_type("AWS::ECS::Service").values():
        task = resources[service["Properties"]["TaskDefinition"]["Ref"]]["Properties"]
        (container,) = task["ContainerDefinitions"]
        key = service["Properties"]["ServiceName"]
        tasks[key] = (task.get("NetworkMode"), _ports(container), _reference(container))
        dependencies[key] = {spec_names.get(d, d) for d in service.get("DependsOn", [])}
        placement[key] = [c["Expression"] for c in task.get("PlacementConstraints", [])]
    documents = of_type("AWS::SSM::Document")
    lines = lambda name: _script_lines(  # noqa: E731
        documents[name]["Properties"]["Content"]["mainSteps"][0]["inputs"]["runCommand"]) if name in documents else []
    asg = resources.get("HostAutoScalingGroup")
    names = {"Cluster": "cluster", "DirectorySetupAssociation": "directory setup"}
    ingress = [rule["CidrIp"] for group in of_type("AWS::EC2::SecurityGroup").values()
               for rule in group["Properties"].get("SecurityGroupIngress", [])]
    bootstrap = lines("HostBootstrapDocument")
    association = resources.get("HostBootstrapAssociation", {}).get("Properties", {}).get("Parameters", {})
    join_secret = json.dumps(association.get("joinSecretArn", ""))
    templates = of_type("AWS::EC2::LaunchTemplate")
    user_data = next(iter(templates.values()))["Properties"]["LaunchTemplateData"].get("UserData") if templates else None
    if user_data is not None and "Fn::Sub" in user_data["Fn::Base64"]:  # Linux hosts: bash
        bootstrap = user_data["Fn::Base64"]["Fn::Sub"].splitlines()
        join_secret = json.dumps([line for line in bootstrap if line.startswith("JOIN_SECRET_ARN=")])
    return Output(
        engine="cloudformation",
        tasks=tasks,
        service_dependencies=dependencies,
        bootstrap_lines=bootstrap,
        setup_lines=lines("DirectorySetupDocument"),
        host_policy=json.dumps(resources.get("HostRole", {}).get("Properties", {}).get("Policies", [])),
        join_secret=join_secret,
        asg_dependencies={names.get(d, d) for d in asg.get("DependsOn", [])} if asg else None,
        asg_sets_desired=asg is not None and "DesiredCapacity" in asg["Properties"],
        ingress_cidrs=ingress,
        placement=placement,
        extra={"admin": json.dumps(resources.get("Directory", {}).get("Properties", {}).get("Password", "")),
               **_cloudformation_traffic(resources)},
    )


def _cloudformation_traffic(resources: dict[str, Any]) -> dict[str, Any]:
    """The load balancer's listeners and reach, the hosts' ingress from it, and each service's
    count and deployment percentages, from the template."""
    def group_of(value: Any) -> str:
        return {"HostSecurityGroup": "hosts", "TaskSecurityGroup": "tasks",
                "LoadBalancerSecurityGroup": "load balancer"}.get(value["Fn::GetAtt"][0], "?")

    listeners = {}
    for r in resources.values():
        if r["Type"] == "AWS::ElasticLoadBalancingV2::Listener":
            p = r["Properties"]
            action = p["DefaultActions"][0]
            listeners[p["Port"]] = (p["Protocol"], action["Type"], action.get("RedirectConfig", {}).get("Protocol"),
                                    p.get("SslPolicy"))
    balancer = resources.get("LoadBalancerSecurityGroup", {}).get("Properties", {})
    egress = [(e["FromPort"], e["ToPort"], group_of(e["DestinationSecurityGroupId"]) if "DestinationSecurityGroupId" in e
               else e.get("CidrIp")) for e in balancer.get("SecurityGroupEgress", [])]
    from_balancer = [(r["Properties"]["FromPort"], r["Properties"]["ToPort"], group_of(r["Properties"]["GroupId"]))
                     for r in resources.values() if r["Type"] == "AWS::EC2::SecurityGroupIngress"
                     and group_of(r["Properties"]["SourceSecurityGroupId"]) == "load balancer"]
    services = {}
    for r in resources.values():
        if r["Type"] == "AWS::ECS::Service":
            p = r["Properties"]
            services[p["ServiceName"]] = {
                "sets_count": "DesiredCount" in p,
                "count": p.get("DesiredCount"),
                "ignores_count": False,
                "percentages": (p["DeploymentConfiguration"]["MinimumHealthyPercent"],
                                p["DeploymentConfiguration"]["MaximumPercent"]),
                "routed": bool(p.get("LoadBalancers")),
            }
    return {"listeners": listeners, "balancer_egress": sorted(egress), "admits_balancer": sorted(from_balancer),
            "services": services}


@pytest.fixture(scope="module")
def terraform_plans(moto_server: MotoServer, terraform: TerraformTool,
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``terraform show -json`` of a plan of every renderable blueprint, against moto."""
    plans: dict[str, Any] = {}
    out = tmp_path_factory.mktemp("deployability")
    for path in RENDERABLE:
        loaded = load(path)
        rendered = render_blueprint(loaded, FORMATS)
        write_rendered(out, rendered)
        module = out / rendered.name / "terraform"
        try:
            skip_without_required_provider(module, terraform)
        except pytest.skip.Exception as exc:
            plans[path.stem] = exc
            continue
        moto_server.reset()
        region = loaded.model.region
        ec2 = moto_server.client("ec2", region)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        moto_server.client("ssm", region).put_parameter(Name=AMI_PARAMETER, Value=image, Type="String")
        if loaded.model.directory.managed is not None:
            name = loaded.model.directory.managed.admin_password_secret.arn.split(":secret:", 1)[1]
            moto_server.client("secretsmanager", region).create_secret(
                Name=name, SecretString=json.dumps({"username": "Admin", "password": "Test-only-Passw0rd!"}))
        override = moto_override(moto_server.url).replace(
            "  skip_credentials_validation = true\n", "  skip_credentials_validation = true\n  skip_region_validation      = true\n")
        (module / "zz_moto_override.tf").write_text(override)
        variables = [f"-var=host_ami_parameter={AMI_PARAMETER}"] if loaded.model.hosts is not None else []
        if loaded.model.directory.managed is not None:
            variables.append(f"-var=directory_setup_ami_parameter={AMI_PARAMETER}")
        terraform.run(module, "init", "-input=false", "-no-color")
        terraform.run(module, "plan", "-input=false", "-no-color", "-out=plan.tfplan", *variables)
        hosts_tf = (module / "hosts.tf").read_text() if (module / "hosts.tf").exists() else None
        services_tf = (module / "services.tf").read_text() if (module / "services.tf").exists() else None
        plans[path.stem] = (json.loads(terraform.run(module, "show", "-json", "plan.tfplan").stdout), hosts_tf, services_tf)
        shutil.rmtree(module / ".terraform", ignore_errors=True)
    return plans


def terraform_output(plan: dict[str, Any], hosts_tf: str | None = None, services_tf: str | None = None) -> Output:
    configured = {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}
    planned = [r for r in plan["planned_values"]["root_module"]["resources"]]

    def instances(address: str) -> list[dict[str, Any]]:
        return [r for r in planned if r["address"].split("[")[0] == address]

    stack_specs = {
        "aws_ssm_parameter.credential_spec": {f"ssm:{r['values']['name']}" for r in instances("aws_ssm_parameter.credential_spec")},
        "aws_s3_object.credential_spec": {f"s3:{r['values']['key']}" for r in instances("aws_s3_object.credential_spec")},
    }
    tasks, dependencies, placement = {}, {}, {}
    service_config = configured.get("aws_ecs_service.service", {})
    depends = set(service_config.get("depends_on", []))
    for task in instances("aws_ecs_task_definition.service"):
        (container,) = json.loads(task["values"]["container_definitions"])
        key = task["index"]
        tasks[key] = (task["values"].get("network_mode"), _ports(container), _reference(container))
        dependencies[key] = {name for address, names in stack_specs.items() if address in depends for name in names}
        placement[key] = [c["expression"] for c in task["values"].get("placement_constraints") or []]

    def document(address: str) -> list[str]:
        found = instances(address)
        return _script_lines(json.loads(found[0]["values"]["content"])["mainSteps"][0]["inputs"]["runCommand"]) if found else []

    asg = configured.get("aws_autoscaling_group.hosts")
    names = {"aws_ecs_cluster.this": "cluster", "aws_ssm_association.directory_setup": "directory setup"}
    ingress = [cidr for group in planned if group["type"] == "aws_security_group"
               for rule in group["values"].get("ingress") or [] for cidr in rule.get("cidr_blocks") or []]
    association = configured.get("aws_ssm_association.host_bootstrap", {}).get("expressions", {}).get("parameters", "")
    bootstrap = document("aws_ssm_document.host_bootstrap")
    join_secret = json.dumps(association)
    if hosts_tf is not None and (user_data := _linux_user_data(hosts_tf)) is not None:  # Linux hosts: bash
        bootstrap = user_data.splitlines()
        join_secret = json.dumps([line for line in bootstrap if line.startswith("JOIN_SECRET_ARN=")])
    admin = configured.get("data.aws_secretsmanager_secret_version.directory_admin", {})
    return Output(
        engine="terraform",
        tasks=tasks,
        service_dependencies=dependencies,
        bootstrap_lines=bootstrap,
        setup_lines=document("aws_ssm_document.directory_setup"),
        host_policy=json.dumps(configured.get("data.aws_iam_policy_document.host", {}).get("expressions", {})),
        join_secret=join_secret,
        asg_dependencies={names.get(d, d) for d in asg.get("depends_on", [])} if asg else None,
        asg_sets_desired=asg is not None and "desired_capacity" in asg["expressions"],
        ingress_cidrs=ingress,
        placement=placement,
        extra={"admin": json.dumps(admin.get("expressions", {}).get("secret_id", {})),
               **_terraform_traffic(configured, planned, hosts_tf, services_tf)},
    )


def _linux_user_data(hosts_tf: str) -> str | None:
    """The Linux hosts' user data: the heredoc of ``local.host_user_data`` in hosts.tf, as
    Terraform reads it (an indented heredoc loses its common indentation; ``$${`` and ``%%{`` are
    template escapes)."""
    import hcl2

    for block in hcl2.loads(hosts_tf).get("locals", []):
        if "host_user_data" in block:
            raw = block["host_user_data"].strip('"')
            body = raw.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
            return textwrap.dedent(body).replace("$${", "${").replace("%%{", "%{")
    return None


def _terraform_traffic(configured: dict[str, Any], planned: list[dict[str, Any]], hosts_tf: str | None,
                       services_tf: str | None) -> dict[str, Any]:
    """What :func:`_cloudformation_traffic` reads, from the plan JSON and services.tf."""
    import hcl2

    def group_of(references: list[str]) -> str:
        names = {"aws_security_group.hosts": "hosts", "aws_security_group.tasks": "tasks",
                 "aws_security_group.load_balancer": "load balancer"}
        return next((names[r] for r in references if r in names), "?")

    listeners = {}
    for r in planned:
        if r["type"] == "aws_lb_listener":
            v = r["values"]
            action = v["default_action"][0]
            redirect = action.get("redirect") or [{}]
            listeners[v["port"]] = (v["protocol"], action["type"], redirect[0].get("protocol"), v.get("ssl_policy") or None)
    egress, from_balancer = [], []
    for address, r in configured.items():
        if r.get("type") == "aws_security_group_rule" and r["expressions"]["type"]["constant_value"] == "egress":
            e = r["expressions"]
            if group_of(e["security_group_id"]["references"]) == "load balancer":
                egress.append((e["from_port"]["constant_value"], e["to_port"]["constant_value"],
                               group_of(e["source_security_group_id"]["references"])))
    # Inline ingress is an attribute of the group, whose references the plan JSON does not keep:
    # read it from the module's text.
    for text in (hosts_tf, services_tf):
        for block in hcl2.loads(text)["resource"] if text else []:
            for name, body in block.get('"aws_security_group"', block.get("aws_security_group", {})).items():
                for rule in body.get("ingress", []):
                    if "${aws_security_group.load_balancer.id}" in rule.get("security_groups", []):
                        from_balancer.append((rule["from_port"], rule["to_port"], name.strip('"')))
    ignored: set[str] = set()
    if services_tf is not None:
        for block in hcl2.loads(services_tf)["resource"]:
            for kind, bodies in block.items():
                for name, body in bodies.items():
                    if kind.strip('"') == "aws_ecs_service" and any(
                            "desired_count" in b.get("ignore_changes", []) for b in body.get("lifecycle", [])):
                        ignored.add(f"aws_ecs_service.{name.strip(chr(34))}")
    services = {}
    for r in planned:
        if r["type"] == "aws_ecs_service":
            v = r["values"]
            services[r["index"]] = {
                "sets_count": v.get("desired_count") is not None,
                "count": v.get("desired_count"),
                "ignores_count": r["address"].split("[")[0] in ignored,
                "percentages": (v["deployment_minimum_healthy_percent"], v["deployment_maximum_percent"]),
                "routed": bool(v.get("load_balancer")),
            }
    return {"listeners": listeners, "balancer_egress": sorted(egress), "admits_balancer": sorted(from_balancer),
            "services": services}


@pytest.fixture(params=["cloudformation", "terraform"])
def outputs(request: pytest.FixtureRequest) -> Any:
    """``output(path)`` of one engine."""
    if request.param == "cloudformation":
        return cloudformation_output

    plans = request.getfixturevalue("terraform_plans")

    def output(path: Path) -> Output:
        plan = plans[path.stem]
        if isinstance(plan, BaseException):
            pytest.skip(str(plan))
        return terraform_output(*plan)

    return output


def _reserved(out: Output) -> dict[int, str]:
    reserved = dict(RESERVED_HOST_PORTS)
    if any("-EnableTaskIAMRole" in line for line in out.bootstrap_lines):
        reserved[TASK_ROLE_PROXY_PORT] = "the task-role credential proxy"
    return reserved


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_no_published_host_port_is_reserved_by_the_agent(outputs: Any, path: Path) -> None:
    out = outputs(path)
    reserved = _reserved(out)
    for service, (mode, ports, _) in out.tasks.items():
        if mode != "awsvpc":
            assert not set(ports) & set(reserved), (out.engine, service, ports)


def _agent_start(lines: list[str]) -> int:
    """Where the hosts hand over to the agent: Initialize-ECSAgent on Windows; on Linux the
    agent's settings, the user data's last step (ecs.service starts after cloud-final)."""
    return next(i for i, line in enumerate(lines) if "Initialize-ECSAgent" in line or "/etc/ecs/ecs.config <<" in line)


def _writes(lines: list[str], reference: str) -> int | None:
    """Where ``lines`` write the spec ``reference`` points at, if they do."""
    for pattern, command in ((SSM_NAME, "Write-SsmSpec -Name '{}'"), (S3_KEY, "-Key '{}'"), (FILE, "{}'")):
        match = pattern.search(reference)
        if match:
            needle = command.format(match.group(1))
            return next((i for i, line in enumerate(lines) if needle in line and "Write-" in line), None)
    raise AssertionError(f"no spec location in {reference}")


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_every_spec_exists_before_a_task_needs_it(outputs: Any, path: Path) -> None:
    out = outputs(path)
    for service, (_, _, reference) in out.tasks.items():
        ssm, s3 = SSM_NAME.search(reference), S3_KEY.search(reference)
        if (ssm and f"ssm:{ssm.group(1)}" in out.service_dependencies[service]) or (
                s3 and f"s3:{s3.group(1)}" in out.service_dependencies[service]):
            continue  # the stack writes it, and the service depends on it
        by_hosts = _writes(out.bootstrap_lines, reference)
        if by_hosts is not None:
            assert by_hosts < _agent_start(out.bootstrap_lines), (out.engine, service, "written after the agent starts")
            continue
        by_setup = _writes(out.setup_lines, reference)
        assert by_setup is not None, (out.engine, service, f"nothing writes {reference} before its tasks start")
        assert out.asg_dependencies is not None, (out.engine, service, "on Fargate the stack writes every spec")
        assert "directory setup" in out.asg_dependencies, (out.engine, service, "the hosts do not wait for the setup")


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_no_host_may_read_a_secret_that_administers_the_domain(outputs: Any, path: Path) -> None:
    out = outputs(path)
    managed = plan_of(path).directory.managed
    if managed is None:
        return
    admin = managed.password_secret_arn
    assert admin in out.extra["admin"], "the test must find the admin secret in the output"
    assert admin not in out.host_policy, out.engine
    assert "directory_admin" not in out.host_policy, out.engine
    assert admin not in out.join_secret, out.engine


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_the_hosts_wait_for_the_directory_setup(outputs: Any, path: Path) -> None:
    out = outputs(path)
    if out.asg_dependencies is None:
        pytest.skip("no hosts: Fargate")
    assert ("directory setup" in out.asg_dependencies) == (plan_of(path).directory.managed is not None), out.engine


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_no_ingress_is_world_open_unless_opted_in(outputs: Any, path: Path) -> None:
    out = outputs(path)
    if not load(path).model.network.allow_internet_ingress:
        assert not set(out.ingress_cidrs) & set(WORLD_CIDRS), out.engine


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_the_hosts_depend_on_the_cluster_and_leave_their_count_to_ecs(outputs: Any, path: Path) -> None:
    out = outputs(path)
    if out.asg_dependencies is None:
        pytest.skip("no hosts: Fargate")
    assert "cluster" in out.asg_dependencies, out.engine
    assert not out.asg_sets_desired, out.engine


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_tasks_go_where_the_capability_of_their_mode_is(outputs: Any, path: Any) -> None:
    out = outputs(path)
    model = load(path).model
    capability = "ecs.capability.gmsa-domainless" if model.domainless else "ecs.capability.gmsa"
    prefix = "credentialspecdomainless:" if model.domainless else "credentialspec:"
    for service, (_, _, reference) in out.tasks.items():
        assert prefix in reference, (out.engine, service, reference)
        if model.fargate is not None:
            assert out.placement[service] == [], (out.engine, service, "Fargate takes no placement constraint")
        else:
            assert out.placement[service] == [f"attribute:{capability} exists"], (out.engine, service)


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_the_agent_is_told_to_offer_gmsa_where_it_must_be(outputs: Any, path: Any) -> None:
    """Linux agents and Windows agents in domainless mode offer gMSA only with
    ECS_GMSA_SUPPORTED=true set before they start (parse_linux.go, parse_windows.go); on Linux
    ecs-init compares the string exactly."""
    out = outputs(path)
    model = load(path).model
    if model.hosts is None:
        pytest.skip("no hosts: Fargate runs the agent itself")
    start = _agent_start(out.bootstrap_lines)
    if model.platform == "linux":
        assert "ECS_GMSA_SUPPORTED=true" in out.bootstrap_lines[start:], out.engine
        started = out.bootstrap_lines.index("systemctl enable --now credentials-fetcher")
        assert started < start, (out.engine, "credentials-fetcher must run before the agent starts")
        if not model.domainless:
            assert out.join_secret != "[]", (out.engine, "joined Linux hosts read a join secret")
    elif model.domainless:
        setting = next(i for i, line in enumerate(out.bootstrap_lines) if "'ECS_GMSA_SUPPORTED', 'true'" in line)
        assert setting < start, out.engine


def _script_lines(run_command: list) -> list[str]:
    """The lines of an SSM document's script: one block (a string, or CloudFormation's Fn::Sub of
    one) holding the whole script."""
    lines = []
    for item in run_command:
        if isinstance(item, dict):
            item = item["Fn::Sub"] if isinstance(item["Fn::Sub"], str) else item["Fn::Sub"][0]
        lines += item.splitlines()
    return lines


def _dynamic_range(out: Output) -> tuple[int, int] | None:
    """The range the hosts' agent is told to pick dynamic host ports from before it starts: a
    machine variable before Initialize-ECSAgent on Windows, a line of the agent's settings
    (/etc/ecs/ecs.config, the user data's last step) on Linux."""
    for index, line in enumerate(out.bootstrap_lines):
        found = re.search(r"ECS_DYNAMIC_HOST_PORT_RANGE(?:', '|=)([0-9]+)-([0-9]+)", line)
        if found:
            start = _agent_start(out.bootstrap_lines)
            if line.startswith("ECS_DYNAMIC_HOST_PORT_RANGE="):
                assert index > start, (out.engine, "not in the agent's settings")
            else:
                assert index < start, (out.engine, "the range is set after the agent starts")
            return int(found.group(1)), int(found.group(2))
    return None


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_the_hosts_admit_the_load_balancer_alone_on_the_dynamic_range(outputs: Any, path: Path) -> None:
    out = outputs(path)
    model = load(path).model
    routed = [s for s in model.services if model.routed(s)]
    instance_targets = [s for s in routed if not model.awsvpc(s)]
    for service in routed:
        mode, ports, _ = out.tasks[service.name]
        assert ports == ([service.port] if model.awsvpc(service) else [0]), (out.engine, service.name, ports)
    ip_ports = sorted({s.port for s in routed if model.awsvpc(s)})
    assert [low for low, high, target in out.extra["admits_balancer"] if target == "tasks"] == ip_ports, out.engine
    # The load balancer reaches the services' groups only, never an address range.
    assert {target for _, _, target in out.extra["balancer_egress"]} <= {"hosts", "tasks"}, out.engine
    expected = DYNAMIC_HOST_PORTS_LINUX if model.platform == "linux" else DYNAMIC_HOST_PORTS
    admitted = [(low, high) for low, high, target in out.extra["admits_balancer"] if target == "hosts"]
    if not instance_targets:
        assert admitted == [] and _dynamic_range(out) is None, out.engine
        return
    assert admitted == [expected], (out.engine, admitted)
    assert _dynamic_range(out) == expected, out.engine
    assert (*expected, "hosts") in out.extra["balancer_egress"], out.engine


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_http_redirects_to_https_when_there_is_a_certificate(outputs: Any, path: Path) -> None:
    out = outputs(path)
    lb = load(path).model.load_balancer
    if lb is None:
        assert out.extra["listeners"] == {}, out.engine
        return
    if lb.certificate_arn is None:
        assert out.extra["listeners"] == {80: ("HTTP", "fixed-response", None, None)}, out.engine
        return
    assert out.extra["listeners"][80] == ("HTTP", "redirect", "HTTPS", None), out.engine
    protocol, action, _, policy = out.extra["listeners"][443]
    assert (protocol, action) == ("HTTPS", "fixed-response") and policy.startswith("ELBSecurityPolicy-TLS13-1-2"), out.engine


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_a_deploy_never_resets_an_autoscaled_count(outputs: Any, path: Path) -> None:
    out = outputs(path)
    model = load(path).model
    for service in model.services:
        held = out.extra["services"][service.name]
        if service.autoscaling is None:
            assert held["sets_count"] and held["count"] == service.desired_count and not held["ignores_count"], out.engine
        elif out.engine == "cloudformation":
            assert not held["sets_count"], (out.engine, service.name)
        else:  # Terraform starts at the minimum and then ignores the count
            assert held["count"] == service.autoscaling.min and held["ignores_count"], (out.engine, service.name)


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_a_routed_service_never_stops_its_only_task_first(outputs: Any, path: Path) -> None:
    """ECS keeps ceil(count x minimum / 100) tasks running and may run floor(count x maximum / 100):
    with one task, a minimum above 0 keeps it until its replacement is healthy, and a maximum of
    200 lets that replacement start."""
    out = outputs(path)
    model = load(path).model
    for service in model.services:
        if not model.routed(service) or (service.deployment and service.deployment.minimum_healthy_percent is not None):
            continue
        minimum, maximum = out.extra["services"][service.name]["percentages"]
        assert out.extra["services"][service.name]["routed"], (out.engine, service.name)
        count = service.autoscaling.min if service.autoscaling else service.desired_count
        assert math.ceil(count * minimum / 100) >= min(count, 1), (out.engine, service.name, minimum)
        assert math.floor(count * maximum / 100) > count, (out.engine, service.name, maximum)
