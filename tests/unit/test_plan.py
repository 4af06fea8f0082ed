"""The plan: names, partition-aware ARNs, references, least-privilege IAM, host-owned specs."""

from __future__ import annotations

from generator import expr
from generator.plan import Plan
from tests.conftest import RENDERABLE, ROOT, plan_of

FIXTURES = ROOT / "tests" / "fixtures" / "good"


def _resources(plan: Plan) -> list[object]:
    roles = [plan.host_role, plan.execution_role, *plan.task_roles]
    return [r for role in roles for s in role.statements for r in s.resources]


def test_ssm_reference_uses_the_arn_form_of_the_guide(webapp: Plan) -> None:
    (service,) = webapp.services
    (reference,) = service.container["credentialSpecs"]
    assert reference == expr.Text((
        "credentialspec:arn:", expr.partition("aws"), ":ssm:", expr.region("us-east-1"), ":", expr.ACCOUNT_ID,
        ":parameter/webapp/credentialspecs/WebApp01",
    ))
    assert str(reference) == "credentialspec:arn:aws:ssm:us-east-1:${account_id}:parameter/webapp/credentialspecs/WebApp01"
    assert "dockerSecurityOptions" not in service.container


def test_s3_reference_has_no_region_or_account_in_the_object_arn() -> None:
    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    api = next(s for s in plan.services if s.name == "api")
    reference = api.container["credentialSpecs"][0]
    assert str(reference) == "credentialspec:arn:aws:s3:::payroll-credspecs-${account_id}-eu-west-1/credentialspecs/PayrollApi.json"


def test_file_store_refers_to_the_file_by_name_with_the_legacy_field() -> None:
    plan = plan_of(ROOT / "blueprints" / "legacy.yaml")
    (service,) = plan.services
    assert service.container["dockerSecurityOptions"] == ["credentialspec:file://LegacyApp.json"]
    assert "credentialSpecs" not in service.container


def test_windows_server_2016_containers_are_named_after_their_account() -> None:
    plan = plan_of(ROOT / "blueprints" / "legacy.yaml")
    assert plan.services[0].container["hostname"] == "LegacyApp"


def test_a_service_with_a_task_role_runs_in_awsvpc_mode_without_a_hostname() -> None:
    plan = plan_of(FIXTURES / "china-child-domain.yaml")
    (service,) = plan.services
    assert service.network_mode == "awsvpc" and "hostname" not in service.container
    assert plan.task_network is not None and plan.task_network.assign_public_ip == "DISABLED"
    assert plan.bootstrap.agent.task_iam_role and plan.bootstrap.agent.task_eni


def test_services_sharing_an_account_share_one_spec() -> None:
    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    references = {s.name: s.container["credentialSpecs"][0] for s in plan.services}
    assert references["api"] == references["reports"] != references["batch"]
    assert [s.account for s in plan.specs] == ["PayrollApi", "PayrollBatch"]


def test_arns_follow_the_partition_of_the_region() -> None:
    gov = plan_of(FIXTURES / "govcloud-2025.yaml")
    china = plan_of(FIXTURES / "china-child-domain.yaml")
    assert gov.partition == "aws-us-gov" and china.partition == "aws-cn"
    assert all(a.startswith("arn:aws-us-gov:iam::aws:policy/") for a in gov.host_role.managed_policy_arns)
    assert str(gov.specs[0].arn).startswith("arn:aws-us-gov:ssm:us-gov-west-1:")
    assert str(china.execution_role.arn).startswith("arn:aws-cn:iam::")


def test_execution_role_reads_exactly_the_specs_in_use_and_nothing_more(webapp: Plan) -> None:
    (statement,) = webapp.execution_role.statements
    assert statement.actions == ("ssm:GetParameters",)
    assert statement.resources == (webapp.specs[0].arn,)


def test_s3_read_is_getobject_on_the_objects_only() -> None:
    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    spec_read = next(s for s in plan.execution_role.statements if s.sid == "ReadCredentialSpecObjects")
    assert spec_read.actions == ("s3:GetObject",)
    assert sorted(map(str, spec_read.resources)) == [
        "arn:aws:s3:::payroll-credspecs-${account_id}-eu-west-1/credentialspecs/PayrollApi.json",
        "arn:aws:s3:::payroll-credspecs-${account_id}-eu-west-1/credentialspecs/PayrollBatch.json",
    ]


def test_kms_decrypt_only_when_a_customer_key_is_named() -> None:
    with_key = plan_of(FIXTURES / "pending-s3-kms.yaml")
    without = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert any(s.actions == ("kms:Decrypt",) for s in with_key.execution_role.statements)
    assert not any("kms:" in a for s in without.execution_role.statements for a in s.actions)


def test_no_policy_of_any_example_has_a_wildcard_action_or_resource() -> None:
    for path in RENDERABLE:
        plan = plan_of(path)
        for role in (plan.host_role, plan.execution_role, plan.spec_writer_role, plan.setup_role):
            for statement in role.statements if role is not None else ():
                assert not any(a.endswith("*") for a in statement.actions), (path.name, statement)
                assert not any("*" in str(r) for r in statement.resources), (path.name, statement)


def test_the_directory_setup_writes_the_specs_of_a_new_directory() -> None:
    plan = plan_of(FIXTURES / "pending-ssm.yaml")
    assert {s.writer for s in plan.specs} == {"setup"}
    assert plan.setup_role is not None
    write = next(s for s in plan.setup_role.statements if s.sid == "WriteCredentialSpecs")
    assert write.actions == ("ssm:GetParameter", "ssm:PutParameter")
    assert [str(r) for r in write.resources] == [
        "arn:aws:ssm:us-west-2:${account_id}:parameter/shared/gmsa/Pending01",
        "arn:aws:ssm:us-west-2:${account_id}:parameter/shared/gmsa/Pending02",
    ]
    assert plan.spec_files == {}, "specs with unknown SID/GUID are not written by gen"
    assert [s.sid for s in plan.host_role.statements] == ["ReadDomainJoinSecret"]


def test_hosts_write_the_specs_of_an_existing_domain_they_complete() -> None:
    plan = plan_of(FIXTURES / "pending-s3-kms.yaml")
    assert {s.writer for s in plan.specs} == {"hosts"} and plan.setup_role is None
    write = next(s for s in plan.host_role.statements if s.sid == "WriteCredentialSpecs")
    assert write.actions == ("s3:GetObject", "s3:PutObject")
    encrypt = next(s for s in plan.host_role.statements if s.sid == "EncryptCredentialSpecs")
    assert encrypt.actions == ("kms:Decrypt", "kms:GenerateDataKey")


def test_the_stack_stores_known_ssm_specs_and_the_hosts_known_s3_specs() -> None:
    anchors = plan_of(FIXTURES / "anchors-and-merge-keys.yaml")
    payroll = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert [s.writer for s in anchors.specs] == ["stack"] and anchors.stack_specs == anchors.specs
    assert [s.writer for s in payroll.specs] == ["hosts", "hosts"] and payroll.stack_specs == ()


def test_no_host_may_read_a_secret_that_administers_the_domain() -> None:
    for path in RENDERABLE:
        plan = plan_of(path)
        if plan.directory.managed is None:
            continue
        read = [r for s in plan.host_role.statements for r in s.resources]
        assert plan.directory.managed.password_secret_arn not in read, path.name
        assert plan.bootstrap.join_secret_arn != plan.directory.managed.password_secret_arn, path.name


def test_a_managed_directory_joins_hosts_with_the_setups_join_account(webapp: Plan) -> None:
    assert webapp.bootstrap.join_secret_arn == expr.JOIN_SECRET_ARN
    assert webapp.directory_setup.principal_secret is not None
    assert webapp.directory_setup.principal_secret.tf_name == "join"
    assert webapp.directory_setup.parameters["principalSecretArn"] == expr.JOIN_SECRET_ARN
    assert webapp.directory_setup.parameters["adminSecretArn"] == webapp.directory.managed.password_secret_arn
    assert webapp.bootstrap.parameters["dnsIpAddresses"] == expr.DIRECTORY_DNS_IPS
    assert webapp.bootstrap.parameters["computersOu"] == "OU=Computers,OU=example,DC=example,DC=com"
    assert webapp.hosts.waits_for_directory_setup


def test_an_existing_directory_passes_its_dns_addresses_literally() -> None:
    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert plan.bootstrap.parameters["dnsIpAddresses"] == "10.20.1.10,10.20.2.10"
    assert plan.directory.directory_id == "d-93670a5c1e"


def test_the_bootstrap_starts_the_agent_after_join_group_and_specs() -> None:
    plan = plan_of(ROOT / "blueprints" / "legacy.yaml")
    [block] = plan.bootstrap.content["mainSteps"][0]["inputs"]["runCommand"]
    script = [line.strip() for line in str(block).splitlines()]
    commands = [(i, line) for i, line in enumerate(script) if not line.startswith("#")]
    order = [
        next(i for i, line in commands if needle in line)
        for needle in ("Set-DomainNameResolution -", "Add-Computer", "exit 3010", "Add-ADGroupMember",
                       "Write-FileSpec -", "Initialize-ECSAgent")
    ]
    assert order == sorted(order)


def test_specs_the_setup_completes_are_the_plans_text_with_placeholders() -> None:
    plan = plan_of(FIXTURES / "pending-ssm.yaml")
    [script] = map(str, plan.directory_setup.content["mainSteps"][0]["inputs"]["runCommand"])
    for spec in plan.specs:
        assert spec.text.rstrip("\n") in script
        assert "__DOMAIN_SID__" in spec.text


def test_ingress_is_one_rule_per_port_and_network_on_hosts_and_tasks() -> None:
    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert [(r.port, r.cidr) for r in plan.hosts.ingress] == [(8080, "10.20.0.0/16"), (8080, "10.30.0.0/16")]
    assert plan.task_network is not None
    assert [(r.port, r.cidr) for r in plan.task_network.ingress] == [(8081, "10.20.0.0/16"), (8081, "10.30.0.0/16")]


def test_the_agent_reserves_memory_for_windows_and_enables_only_what_services_use() -> None:
    webapp = plan_of(ROOT / "blueprints" / "webapp.yaml")
    payroll = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert webapp.bootstrap.agent.environment == {"ECS_RESERVED_MEMORY": "2048"}
    assert webapp.bootstrap.agent.initialize_flags == ""
    assert payroll.bootstrap.agent.environment == {
        "ECS_RESERVED_MEMORY": "1024", "ECS_ENABLE_TASK_IAM_ROLE": "true", "ECS_ENABLE_TASK_ENI": "true",
        "ECS_AWSVPC_BLOCK_IMDS": "true"}
    assert payroll.bootstrap.agent.initialize_flags == "-EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS"


def test_a_changed_document_is_a_new_revision_that_runs_again() -> None:
    from generator.plan.bootstrap import document_content
    from generator.plan.powershell import revision

    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert plan.bootstrap.parameters["revision"] == revision(plan.bootstrap.content)
    other = document_content(plan.specs, plan.bucket, plan.bootstrap.agent._replace(reserved_memory_mib=4096))
    assert revision(other) != plan.bootstrap.parameters["revision"]


def test_plans_are_equal_for_equal_blueprints() -> None:
    assert plan_of(ROOT / "blueprints" / "webapp.yaml") == plan_of(ROOT / "blueprints" / "webapp.yaml")


def test_a_secret_chosen_by_json_key_is_granted_on_the_secret_itself() -> None:
    from generator.plan.iam import secret_arn

    arn = "arn:aws:secretsmanager:eu-west-1:444455556666:secret:payroll/db-Qw34Er"
    assert secret_arn(f"{arn}:password::") == arn
    assert secret_arn(f"{arn}:password:AWSCURRENT:") == arn
    assert secret_arn(arn) == arn


def test_a_single_task_on_a_host_port_may_be_stopped_to_be_replaced() -> None:
    plan = plan_of(ROOT / "blueprints" / "legacy.yaml")
    (service,) = plan.services
    assert service.desired_count == 1 and (service.minimum_healthy_percent, service.maximum_percent) == (0, 100)
    payroll = {s.name: s for s in plan_of(ROOT / "blueprints" / "payroll.yaml").services}
    assert (payroll["api"].minimum_healthy_percent, payroll["api"].maximum_percent) == (50, 100)
    assert (payroll["batch"].minimum_healthy_percent, payroll["batch"].maximum_percent) == (100, 200)
    # awsvpc tasks have no host port: new tasks start before old ones stop.
    assert (payroll["reports"].minimum_healthy_percent, payroll["reports"].maximum_percent) == (100, 200)


def test_host_tags_are_the_blueprints_then_gens() -> None:
    plan = plan_of(ROOT / "blueprints" / "payroll.yaml")
    assert [t.key for t in plan.hosts.propagated_tags] == ["cost-center", "team", "AmazonECSManaged", "Name", "gen:hosts"]


def test_yaml_merge_keys_are_read_and_placed() -> None:
    plan = plan_of(FIXTURES / "anchors-and-merge-keys.yaml")
    assert [(s.name, s.container["cpu"], s.container["image"].split(":")[0]) for s in plan.services] == [
        ("front", 512, "mcr.microsoft.com/windows/servercore/iis"), ("back", 512, "mcr.microsoft.com/windows/servercore/iis")]
