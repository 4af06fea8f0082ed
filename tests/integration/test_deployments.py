"""Every example deployed to moto's server: through CloudFormation (CREATE_COMPLETE, every
resource moto supports created, read back through boto3), through Terraform (applied, a second
plan without changes), and the two compared: any difference fails."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.blueprint.validate import load_blueprint
from tests.conftest import ROOT, SINGLE_EXAMPLES, ids
from tests.integration.conftest import MotoServer, TerraformTool
from tests.integration.deploy import (
    CFN_UNSUPPORTED,
    CFN_WITHOUT_PHYSICAL_ID,
    TF_PLANNED_ONLY,
    CfnDeployment,
    TfDeployment,
    Variant,
    apply_terraform,
    deploy_cloudformation,
    from_template,
    prepare,
    snapshot,
)

pytestmark = pytest.mark.integration


@dataclass
class Deployed:
    cfn_variant: Variant
    cfn: CfnDeployment
    tf_variant: Variant | None
    tf: TfDeployment | None
    tf_skip: str = ""


def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def deployed(moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict:
    """Deploy each example once per engine, each into fresh moto state, and keep what was read."""
    results: dict[str, Deployed] = {}

    def deploy(example: Path) -> Deployed:
        if example.stem in results:
            return results[example.stem]
        with pytest.MonkeyPatch.context() as monkeypatch:
            _credentials(monkeypatch)
            moto_server.reset()
            cfn_variant = prepare(moto_server, example, tmp_path_factory.mktemp(f"cfn-{example.stem}"))
            cfn = deploy_cloudformation(moto_server, cfn_variant)
            cfn.snapshot = snapshot(moto_server, cfn_variant.plan)
            cfn.snapshot.update(from_template(cfn.template, cfn_variant.plan, cfn_variant.plan.region))
            cfn.readback.update(_cloudformation_readback(moto_server, cfn_variant))
            tf_variant = tf = None
            skip = ""
            try:
                terraform: TerraformTool = request.getfixturevalue("terraform")
            except pytest.skip.Exception as exc:
                skip = str(exc)
            else:
                moto_server.reset()
                workdir = tmp_path_factory.mktemp(f"tf-{example.stem}")
                tf_variant = prepare(moto_server, example, workdir)
                tf = apply_terraform(terraform, moto_server, tf_variant, workdir)
                tf.snapshot = snapshot(moto_server, tf_variant.plan)
        results[example.stem] = Deployed(cfn_variant, cfn, tf_variant, tf, skip)
        return results[example.stem]

    return {"deploy": deploy}


def _cloudformation_readback(moto: MotoServer, variant: Variant) -> dict:
    plan = variant.plan
    ecs = moto.client("ecs", plan.region)
    readback = {}
    readback["references"] = {
        s.name: ecs.describe_task_definition(taskDefinition=s.family)["taskDefinition"]["containerDefinitions"][0]
        for s in plan.services
    }
    return readback


def _deployed(deployed: dict, example: Path) -> Deployed:
    return deployed["deploy"](example)


# --- CloudFormation ------------------------------------------------------------------------------


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_cloudformation_creates_every_resource_moto_supports(deployed: dict, example: Path) -> None:
    result = _deployed(deployed, example).cfn
    assert result.status == "CREATE_COMPLETE"
    # Custom resources are run by the test itself (deploy.py, adaptation 7).
    supported = {name for name, r in result.template["Resources"].items()
                 if r["Type"] not in CFN_UNSUPPORTED | CFN_WITHOUT_PHYSICAL_ID and not r["Type"].startswith("Custom::")}
    assert result.created == supported
    skipped = {r["Type"] for r in result.template["Resources"].values()} & CFN_UNSUPPORTED
    assert skipped <= CFN_UNSUPPORTED, "a type moto skips must be listed, with its reason, in deploy.py"


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_cloudformation_containers_carry_the_plans_credential_spec(deployed: dict, example: Path) -> None:
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    for service in plan.services:
        container = d.cfn.readback["references"][service.name]
        (reference,) = container[plan.reference_field]
        expected = str(service.container[plan.reference_field][0]).replace("${account_id}", "123456789012")
        assert reference == expected
        other = "dockerSecurityOptions" if plan.reference_field == "credentialSpecs" else "credentialSpecs"
        assert not container.get(other)
        if service.os_family == "WINDOWS_SERVER_2016_FULL":
            assert container["hostname"] == service.account


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_cloudformation_specs_are_byte_for_byte_the_plans(deployed: dict, example: Path) -> None:
    """The stack's own specs; the directory setup's and the hosts' are written where those run."""
    d = _deployed(deployed, example)
    expected = {s.text.encode() for s in d.cfn_variant.plan.stack_specs}
    assert set(d.cfn.snapshot["specs"].values()) == expected


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_cloudformation_execution_role_reads_exactly_the_specs(deployed: dict, example: Path) -> None:
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    policies = d.cfn.snapshot["roles"][plan.execution_role.name]
    statements = [s for name, doc in policies.items() if name != "trust" for s in doc]
    spec_arns = sorted(str(s.arn).replace("${account_id}", "123456789012") for s in plan.specs if s.arn)
    reading = [s for s in statements if s[0].startswith("ReadCredentialSpec")]
    if plan.store == "file":
        assert reading == []
    else:
        ((_, effect, actions, resources, _),) = reading
        assert effect == "Allow" and actions in (("ssm:GetParameters",), ("s3:GetObject",),
                                                 ("s3:GetObject", "s3:GetObjectVersion"))
        assert list(resources) == spec_arns
    assert not any("*" in r for s in statements for r in s[3])


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_cloudformation_hosts_match_the_plan(deployed: dict, example: Path) -> None:
    d = _deployed(deployed, example)
    hosts = d.cfn_variant.plan.hosts
    if hosts is None:
        assert "autoscaling_group" not in d.cfn.snapshot
        pytest.skip("no hosts: Fargate")
    # No desired capacity is set: the group starts at its minimum (ECS managed scaling owns it).
    assert d.cfn.snapshot["autoscaling_group"]["sizes"] == (hosts.min_size, hosts.max_size, hosts.min_size)
    tags = d.cfn.snapshot["autoscaling_group"]["tags"]
    assert ("gen:hosts", d.cfn_variant.plan.name, True) in tags
    template = d.cfn.snapshot["launch_template"]
    assert template["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled"}
    assert template["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True


DROPPED_BY_MOTO = """moto keeps none of these, so they are asserted on the template itself:
task definition ExecutionRoleArn, TaskRoleArn, RuntimePlatform, RequiresCompatibilities; Fargate
task size and service PlatformVersion; role
ManagedPolicyArns; cluster ClusterSettings; service CapacityProviderStrategy, PlacementStrategies,
DeploymentConfiguration; bucket versioning, public access block, ownership controls."""


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_what_moto_drops_is_in_the_template(deployed: dict, example: Path) -> None:
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    resources = d.cfn.template["Resources"]
    for service in plan.services:
        task = resources[f"{service.logical_id}TaskDefinition"]["Properties"]
        assert task["RuntimePlatform"] == {"OperatingSystemFamily": service.os_family,
                                           "CpuArchitecture": service.cpu_architecture}
        assert task["ExecutionRoleArn"] == {"Fn::GetAtt": ["TaskExecutionRole", "Arn"]}
        assert task["RequiresCompatibilities"] == list(service.compatibilities)
        assert ("TaskRoleArn" in task) == (service.task_role is not None)
        deployment = resources[f"{service.logical_id}Service"]["Properties"]
        provider = "FARGATE" if plan.hosts is None else {"Ref": "CapacityProvider"}
        assert deployment["CapacityProviderStrategy"] == [{"CapacityProvider": provider, "Weight": 1}]
    if plan.host_role is not None:
        assert resources["HostRole"]["Properties"]["ManagedPolicyArns"] == list(plan.host_role.managed_policy_arns)
    assert resources["Cluster"]["Properties"]["ClusterSettings"] == [{"Name": "containerInsights", "Value": "enabled"}]
    if plan.bucket is not None and plan.bucket.create:
        bucket = resources["CredentialSpecBucket"]["Properties"]
        assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
        assert all(bucket["PublicAccessBlockConfiguration"].values())


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_cloudformation_custom_resources_write_their_specs(deployed: dict, example: Path) -> None:
    """Adaptation 7 of deploy.py: every spec the stack writes to S3 was written by the handler."""
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    expected = {s.logical_id for s in plan.stack_specs if s.store == "s3"}
    assert set(d.cfn.custom) == expected
    assert set(d.cfn.custom.values()) <= {"SUCCESS"}


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_the_gmsa_wiring_reads_back(deployed: dict, example: Path) -> None:
    """What moto holds, per variant: the reference prefix, the spec's shape for the OS, where
    tasks may be placed, and who may read the domainless user's secret."""
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    shot = d.cfn.snapshot
    prefix = "credentialspecdomainless:" if plan.domainless else "credentialspec:"
    for service in plan.services:
        (container,) = shot["task_definitions"][service.family]
        assert container[plan.reference_field][0].startswith(prefix)
        expected = [] if plan.hosts is None else [{"type": "memberOf", "expression": f"attribute:{plan.gmsa_capability} exists"}]
        assert shot["placement"][service.family] == expected
    for text in shot["specs"].values():
        spec = json.loads(text)
        host_account = spec["ActiveDirectoryConfig"].get("HostAccountConfig")
        assert (host_account is not None) == plan.domainless
        if host_account is not None:
            plugin_input = host_account["PluginInput"]
            if plan.platform == "windows":  # a JSON string holding credentialArn (CCG plugin)
                assert isinstance(plugin_input, str) and "credentialArn" in json.loads(plugin_input)
            else:  # an object with CredentialArn (credentialspec_linux.go)
                assert isinstance(plugin_input, dict) and set(plugin_input) == {"CredentialArn"}
    readers = {name for name, policies in shot["roles"].items()
               for policy, statements in policies.items() if policy != "trust"
               for s in statements if s[0] == "ReadDomainlessUserSecret"}
    if plan.domainless:
        expected_readers = {plan.execution_role.name}
        if plan.platform == "linux":  # credentials-fetcher reads it with the instance's role (#218)
            expected_readers.add(plan.host_role.name)
        assert readers == expected_readers
    else:
        assert readers == set()


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_the_load_balancer_reads_back_as_planned(deployed: dict, example: Path) -> None:
    """Listeners, rules (with their priorities) and target groups as moto holds them; the hosts
    admit the load balancer's group, and only it, on the agent's dynamic host ports."""
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    lb = plan.load_balancer
    if lb is None:
        assert "load_balancer" not in d.cfn.snapshot
        pytest.skip("no load balancer")
    shot = d.cfn.snapshot["load_balancer"]
    assert shot["load_balancer"] == (lb.name, lb.scheme, "application", len(lb.subnet_ids), [lb.security_group])
    assert {port: listener["protocol"] for port, listener in shot["listeners"].items()} == {
        listener.port: listener.protocol for listener in lb.listeners}
    if any(listener.protocol == "HTTPS" for listener in lb.listeners):
        assert shot["listeners"][80]["default"] == [("redirect", "HTTPS", "443", "HTTP_301")]
        assert shot["listeners"][443]["ssl_policy"].startswith("ELBSecurityPolicy-TLS13-1-2")
    rules_port = lb.rules_listener.port
    assert set(shot["rules"]) == {(rules_port, g.priority) for g in lb.target_groups}
    for group in lb.target_groups:
        conditions, actions = shot["rules"][(rules_port, group.priority)]
        assert conditions == sorted((field, (value,)) for field, value in group.conditions)
        assert actions == [("forward", group.name)]
        held = shot["target_groups"][group.name]
        assert (held["target_type"], held["port"]) == (group.target_type, group.port)
        h = group.health
        assert held["health"] == ("HTTP", "traffic-port", h.path, h.interval, h.timeout, h.healthy_threshold,
                                  h.unhealthy_threshold, h.matcher)
    if lb.host_ports is not None:
        from_lb = [rule for rule in shot["ingress"][plan.hosts.name] if rule[4]]
        assert from_lb == [("tcp", *lb.host_ports, (), (lb.security_group,))]


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_what_moto_drops_of_the_load_balancer_is_in_both_outputs(deployed: dict, example: Path) -> None:
    """moto's CloudFormation ignores load balancer and target group attributes and the services'
    LoadBalancers: the template states them; Terraform's state holds what moto's API kept."""
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    lb = plan.load_balancer
    if lb is None:
        pytest.skip("no load balancer")
    resources = d.cfn.template["Resources"]
    attributes = {a["Key"]: a["Value"] for a in resources["LoadBalancer"]["Properties"]["LoadBalancerAttributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    for group in lb.target_groups:
        properties = resources[group.logical_id]["Properties"]
        assert properties["TargetGroupAttributes"] == [
            {"Key": "deregistration_delay.timeout_seconds", "Value": str(group.deregistration_delay)}]
    for service in plan.services:
        if service.target is None:
            continue
        properties = resources[f"{service.logical_id}Service"]["Properties"]
        assert properties["LoadBalancers"] == [{"ContainerName": service.name, "ContainerPort": service.target.container_port,
                                                "TargetGroupArn": {"Ref": service.target.target_group}}]
        assert properties["HealthCheckGracePeriodSeconds"] == service.target.grace_period
        assert service.target.rule in resources[f"{service.logical_id}Service"]["DependsOn"]
    if d.tf is not None:
        state = {r["address"]: r["values"] for r in d.tf.state["values"]["root_module"]["resources"]}
        for group in lb.target_groups:
            assert state[f'aws_lb_target_group.service["{group.tf_key}"]']["deregistration_delay"] == str(group.deregistration_delay)
        assert state["aws_lb.this"]["drop_invalid_header_fields"] is True


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_scaling_is_in_the_template_and_the_terraform_plan(deployed: dict, example: Path) -> None:
    """moto has no Application Auto Scaling in CloudFormation, and Terraform's cannot complete
    against it (deploy.py): the scaling is asserted on the template and the plan JSON."""
    d = _deployed(deployed, example)
    plan = d.cfn_variant.plan
    resources = d.cfn.template["Resources"]
    targets = {name: r for name, r in resources.items() if r["Type"] == "AWS::ApplicationAutoScaling::ScalableTarget"}
    assert set(targets) == {s.scaling.logical_id for s in plan.scaled_services}
    for service in plan.services:
        properties = resources[f"{service.logical_id}Service"]["Properties"]
        scaling = service.scaling
        if scaling is None:
            assert properties["DesiredCount"] == service.desired_count
            continue
        # The count is Application Auto Scaling's: a stack update must not reset it.
        assert "DesiredCount" not in properties
        target = targets[scaling.logical_id]
        assert target["Properties"] == {"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount",
                                        "ResourceId": f"service/{plan.cluster.name}/{service.name}",
                                        "MinCapacity": scaling.min_capacity, "MaxCapacity": scaling.max_capacity}
        assert target["DependsOn"] == [f"{service.logical_id}Service"]
        policy = resources[scaling.policy_logical_id]["Properties"]
        assert policy["ScalingTargetId"] == {"Ref": scaling.logical_id}
        tracking = policy["TargetTrackingScalingPolicyConfiguration"]
        assert tracking["TargetValue"] == float(scaling.target_value)
        assert tracking["PredefinedMetricSpecification"] == {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}
    if d.tf is None:
        return
    created = {c["address"]: c["change"]["after"] for c in d.tf.full_plan if c["change"]["actions"] == ["create"]}
    for service in plan.services:
        scaling = service.scaling
        resource = "scaled" if scaling is not None else "service"
        assert created[f'aws_ecs_service.{resource}["{service.tf_key}"]']["desired_count"] == service.desired_count
        if scaling is None:
            assert f'aws_appautoscaling_target.service["{service.tf_key}"]' not in created
            continue
        assert service.desired_count == scaling.min_capacity
        target = created[f'aws_appautoscaling_target.service["{scaling.tf_key}"]']
        assert (target["service_namespace"], target["scalable_dimension"], target["resource_id"],
                target["min_capacity"], target["max_capacity"]) == (
            "ecs", "ecs:service:DesiredCount", scaling.resource_id, scaling.min_capacity, scaling.max_capacity)
        policy = created[f'aws_appautoscaling_policy.service["{scaling.tf_key}"]']
        (tracking,) = policy["target_tracking_scaling_policy_configuration"]
        assert tracking["target_value"] == scaling.target_value
        assert tracking["predefined_metric_specification"][0]["predefined_metric_type"] == scaling.metric


# --- Terraform -----------------------------------------------------------------------------------


def _terraform(deployed: dict, example: Path) -> Deployed:
    d = _deployed(deployed, example)
    if d.tf is None:
        pytest.skip(d.tf_skip)
    return d


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_terraform_applies_all_but_what_moto_cannot_serve(deployed: dict, example: Path) -> None:
    d = _terraform(deployed, example)
    assert d.tf.applied, "nothing was applied"
    assert {a.split(".")[0] for a in d.tf.planned_only} <= TF_PLANNED_ONLY
    in_state = {r["address"].split("[")[0] for r in d.tf.state["values"]["root_module"]["resources"] if r["mode"] == "managed"}
    assert in_state == set(d.tf.applied)


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_terraform_second_plan_has_no_changes_but_moto_launch_template_tags(deployed: dict, example: Path) -> None:
    """moto copies the request's tag specifications (default_tags) into launch template data; the
    provider then plans to remove them, and the hosts' ASG follows the template's new version.
    While the ASG is updated, the provider also fills
    capacity_reservation_specification, which moto's DescribeAutoScalingGroups leaves out
    (null -> ""). Those diffs, exactly, are allowed; any other change fails."""
    d = _terraform(deployed, example)
    changes = {c["address"]: c["change"] for c in d.tf.second_plan}
    templates = {"aws_launch_template.hosts"}
    allowed = templates | {"aws_autoscaling_group.hosts"}
    assert set(changes) <= allowed, json.dumps(changes, indent=1)
    for address in templates & set(changes):
        before, after = changes[address]["before"], changes[address]["after"]
        differing = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert differing <= {"tag_specifications", "latest_version"}, differing
        assert after.get("tag_specifications") == [] and before["tag_specifications"][0]["resource_type"] == "launch-template"
    if "aws_autoscaling_group.hosts" in changes:
        before, after = changes["aws_autoscaling_group.hosts"]["before"], changes["aws_autoscaling_group.hosts"]["after"]
        differing = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert differing <= {"launch_template", "capacity_reservation_specification"}, differing
        if "capacity_reservation_specification" in differing:
            assert before["capacity_reservation_specification"] == [
                {"capacity_reservation_preference": None, "capacity_reservation_target": []}]
            assert after["capacity_reservation_specification"] == [
                {"capacity_reservation_preference": "", "capacity_reservation_target": []}]
        assert after["launch_template"][0]["id"] == before["launch_template"][0]["id"]


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_terraform_plans_what_moto_cannot_serve(deployed: dict, example: Path) -> None:
    d = _terraform(deployed, example)
    creates = sorted(c["address"] for c in d.tf.full_plan if c["change"]["actions"] == ["create"])
    planned = sorted({c["address"] for c in d.tf.full_plan if c["address"].split(".")[0] in TF_PLANNED_ONLY})
    assert creates == planned and creates, creates
    assert {p.split("[")[0] for p in planned} == set(d.tf.planned_only)


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_terraform_stores_the_exact_spec_text(deployed: dict, example: Path) -> None:
    d = _terraform(deployed, example)
    expected = {s.text.encode() for s in d.tf_variant.plan.stack_specs}
    assert set(d.tf.snapshot["specs"].values()) == expected


# --- parity --------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", SINGLE_EXAMPLES, ids=ids(SINGLE_EXAMPLES))
def test_both_engines_build_the_same_system(deployed: dict, example: Path) -> None:
    d = _terraform(deployed, example)
    cfn, tf = d.cfn.snapshot, d.tf.snapshot
    assert cfn.keys() == tf.keys()
    for key in cfn:
        assert cfn[key] == tf[key], f"{key} differs between CloudFormation and Terraform:\nCFN {cfn[key]}\nTF  {tf[key]}"


def test_the_examples_cover_all_three_stores() -> None:
    stores = {p.stem: load_blueprint(p.relative_to(ROOT)).model.credential_specs.store for p in SINGLE_EXAMPLES}
    assert set(stores.values()) == {"ssm", "s3", "file"}, stores
