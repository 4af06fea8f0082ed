"""gen publish, discover and doctor against moto's server through --endpoint-url, and each way
an AWS call can fail, as one clear line and a non-zero exit."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.aws.session import MAX_ATTEMPTS
from generator.blueprint.validate import load_blueprint
from generator.cli import app
from generator.expr import resolved
from generator.plan import build_plan
from tests.conftest import ROOT
from tests.integration.conftest import MotoServer, start_moto

pytestmark = pytest.mark.integration
ACCOUNT = "123456789012"
WEBAPP = "blueprints/webapp.yaml"
PAYROLL = "blueprints/payroll.yaml"
#: webapp creates its directory: its specs are the setup's until publish is given the new domain's.
DOMAIN = ("--sid", "S-1-5-21-2554468230-2647958158-2204241789", "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b")


def gen(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- publish -------------------------------------------------------------------------------------


def test_publish_creates_then_leaves_unchanged_then_updates_ssm_specs(moto: MotoServer) -> None:
    code, out, err = gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", moto.url)
    assert (code, out) == (0, "created: ssm:/webapp/credentialspecs/WebApp01\n"), err
    assert gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", moto.url)[1] == "unchanged: ssm:/webapp/credentialspecs/WebApp01\n"
    ssm = moto.client("ssm", "us-east-1")
    stored = ssm.get_parameter(Name="/webapp/credentialspecs/WebApp01")["Parameter"]
    assert stored["Value"] == gen("credspec", WEBAPP, *DOMAIN)[1]
    assert (stored["Type"], stored["DataType"]) == ("String", "text")
    ssm.put_parameter(Name="/webapp/credentialspecs/WebApp01", Value="{}", Type="String", Overwrite=True)
    assert gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", moto.url, "--dry-run")[1] == "would be updated: ssm:/webapp/credentialspecs/WebApp01\n"
    assert ssm.get_parameter(Name="/webapp/credentialspecs/WebApp01")["Parameter"]["Value"] == "{}", "--dry-run wrote"
    assert gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", moto.url)[1] == "updated: ssm:/webapp/credentialspecs/WebApp01\n"


def test_publish_puts_encrypted_json_objects_into_the_bucket(moto: MotoServer) -> None:
    s3 = moto.client("s3", "eu-west-1")
    bucket = f"payroll-credspecs-{ACCOUNT}-eu-west-1"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    code, out, err = gen("publish", PAYROLL, "--endpoint-url", moto.url)
    assert code == 0, err
    assert out.splitlines() == [f"created: s3://{bucket}/credentialspecs/PayrollApi.json",
                                f"created: s3://{bucket}/credentialspecs/PayrollBatch.json"]
    stored = s3.get_object(Bucket=bucket, Key="credentialspecs/PayrollApi.json")
    assert stored["Body"].read() == (ROOT / "out/payroll/credentialspecs/PayrollApi.json").read_bytes()
    assert (stored["ContentType"], stored["ServerSideEncryption"]) == ("application/json", "AES256")
    assert gen("publish", PAYROLL, "--endpoint-url", moto.url)[1].count("unchanged: ") == 2


def test_publish_takes_the_domain_from_flags_when_the_blueprint_has_none(moto: MotoServer) -> None:
    blueprint = "tests/fixtures/good/pending-ssm.yaml"
    code, _, err = gen("publish", blueprint, "--endpoint-url", moto.url)
    assert code == 2 and "pass --sid and --guid" in err
    code, out, err = gen("publish", blueprint, "--endpoint-url", moto.url, "--sid", "S-1-5-21-9-8-7",
                         "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b")
    assert code == 0, err
    value = moto.client("ssm", "us-west-2").get_parameter(Name="/shared/gmsa/Pending01")["Parameter"]["Value"]
    assert json.loads(value)["DomainJoinConfig"]["Sid"] == "S-1-5-21-9-8-7"
    assert json.loads(value)["DomainJoinConfig"]["DnsTreeName"] == "corp.pending.example"


def test_publish_has_nothing_to_do_for_host_files(moto: MotoServer) -> None:
    code, _, err = gen("publish", "blueprints/legacy.yaml", "--endpoint-url", moto.url)
    assert code == 2 and "the file store keeps specs on each host" in err


# --- discover ------------------------------------------------------------------------------------


@pytest.fixture
def directory(moto: MotoServer) -> dict:
    ec2 = moto.client("ec2", "eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate("ab")]
    created = moto.client("ds", "eu-west-1").create_microsoft_ad(
        Name="corp.example.net", ShortName="CORP", Password="Test-only-Passw0rd!", Edition="Standard",
        VpcSettings={"VpcId": vpc, "SubnetIds": subnets})
    described = moto.client("ds", "eu-west-1").describe_directories(DirectoryIds=[created["DirectoryId"]])
    return {"id": created["DirectoryId"], "vpc": vpc, "subnets": sorted(subnets),
            "dns_ips": sorted(described["DirectoryDescriptions"][0]["DnsIpAddrs"])}


def test_discover_prints_sections_ready_to_paste(moto: MotoServer, directory: dict) -> None:
    code, out, err = gen("discover", "--directory-id", directory["id"], "--region", "eu-west-1", "--endpoint-url", moto.url)
    assert code == 0, err
    assert yaml.safe_load(out) == {
        "network": {"vpc_id": directory["vpc"], "subnet_ids": directory["subnets"]},
        "directory": {"dns_name": "corp.example.net", "netbios_name": "CORP",
                      "existing": {"directory_id": directory["id"], "dns_ips": directory["dns_ips"]}},
    }
    assert "Get-ADDomain" in out and "does not give the domain SID and GUID" in out


def test_discover_writes_into_a_blueprint_keeping_comments_and_order(moto: MotoServer, directory: dict,
                                                                      tmp_path: Path) -> None:
    target = tmp_path / "payroll.yaml"
    shutil.copy(ROOT / PAYROLL, target)
    before = target.read_text()
    code, out, err = gen("discover", "--directory-id", directory["id"], "--region", "eu-west-1",
                         "--endpoint-url", moto.url, "--write", str(target))
    assert code == 0, err
    assert f"directory.existing.directory_id: d-93670a5c1e -> {directory['id']}" in out
    after = target.read_text()
    for line in before.splitlines():
        if line.lstrip().startswith("#"):
            assert line in after, f"comment lost: {line}"
    data = yaml.safe_load(after)
    assert list(data) == list(yaml.safe_load(before))
    assert data["directory"]["existing"] == {"directory_id": directory["id"], "dns_ips": directory["dns_ips"]}
    assert data["directory"]["sid"] == "S-1-5-21-1004336348-1177238915-682003330", "SID kept"
    assert data["network"]["allowed_cidrs"] == ["10.20.0.0/16", "10.30.0.0/16"], "other keys kept"
    assert gen("validate", str(target))[0] == 0


def test_discover_keeps_the_hosts_subnets_in_the_same_vpc(moto: MotoServer, directory: dict, tmp_path: Path) -> None:
    target = tmp_path / "payroll.yaml"
    target.write_text((ROOT / PAYROLL).read_text().replace("vpc-0d2c4b6a8e1f35790", directory["vpc"]))
    code, out, err = gen("discover", "--directory-id", directory["id"], "--endpoint-url", moto.url, "--write", str(target))
    assert code == 0, err
    assert "network.subnet_ids" not in out
    assert yaml.safe_load(target.read_text())["network"]["subnet_ids"] == yaml.safe_load((ROOT / PAYROLL).read_text())["network"]["subnet_ids"]


def test_discover_writes_only_into_a_blueprint_of_the_same_region(moto: MotoServer, directory: dict, tmp_path: Path) -> None:
    target = tmp_path / "payroll.yaml"
    shutil.copy(ROOT / PAYROLL, target)
    code, _, err = gen("discover", "--directory-id", directory["id"], "--region", "us-east-1", "--endpoint-url", moto.url,
                       "--write", str(target))
    assert (code, err) == (2, "error: the blueprint deploys to eu-west-1; --region us-east-1 would look elsewhere\n")


def test_publish_refuses_another_region_than_the_blueprints(moto: MotoServer) -> None:
    code, _, err = gen("publish", WEBAPP, "--region", "eu-west-1", "--endpoint-url", moto.url)
    assert code == 2 and "the blueprint deploys to us-east-1" in err


def test_discover_refuses_to_write_a_blueprint_that_would_be_invalid(moto: MotoServer, directory: dict,
                                                                     tmp_path: Path) -> None:
    target = tmp_path / "webapp.yaml"
    target.write_text((ROOT / WEBAPP).read_text().replace("us-east-1", "eu-west-1"))
    before = target.read_text()
    code, _, err = gen("discover", "--directory-id", directory["id"], "--endpoint-url", moto.url, "--write", str(target))
    assert code == 1 and "hosts.join_secret is required with an existing directory" in err
    assert target.read_text() == before


def test_discover_an_unknown_directory(moto: MotoServer) -> None:
    code, _, err = gen("discover", "--directory-id", "d-0123456789", "--region", "eu-west-1", "--endpoint-url", moto.url)
    assert (code, err) == (4, "error: no directory d-0123456789 in eu-west-1; check the id and --region\n")


# --- doctor --------------------------------------------------------------------------------------


def _create_role(moto: MotoServer, region: str, role: Any) -> None:
    """A role of the plan as a deployment leaves it: its trust and its inline policy as JSON (as AWS
    returns them; moto's CloudFormation stores Python reprs). A resource only the stack knows (a
    secret it generates) gets a made-up ARN."""
    def arn(value: Any) -> str:
        try:
            return resolved(value, ACCOUNT)
        except ValueError:
            return f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{value.name}-AbCdEf"

    iam = moto.client("iam", region)
    iam.create_role(RoleName=role.name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": role.service_principal}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=role.name, PolicyName=role.policy_name, PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": s.sid, "Effect": s.effect, "Action": list(s.actions),
                       "Resource": [arn(r) for r in s.resources]} for s in role.statements]}))


def _register_host(moto: MotoServer, region: str, cluster: str, attributes: tuple[str, ...]) -> None:
    """One EC2 instance registered in ``cluster``, its agent advertising ``attributes``."""
    ec2, ecs = moto.client("ec2", region), moto.client("ecs", region)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    arn = ecs.register_container_instance(cluster=cluster, instanceIdentityDocument=json.dumps(
        {"instanceId": instance}))["containerInstance"]["containerInstanceArn"]
    for name in attributes:
        ecs.put_attributes(cluster=cluster, attributes=[{"name": name, "targetId": arn}])


def _deploy_by_hand(moto: MotoServer, tmp_path: Path, healthy_hosts: int, unhealthy_hosts: int,
                    desired_tasks: int = 0) -> str:
    """What a deployment of webapp leaves in AWS (:func:`_deploy_variant`), with its directory,
    hosts of which ``healthy_hosts`` advertise ``ecs.capability.gmsa``, its services and their
    specs published. Returns the blueprint, a copy of webapp's with moto's VPC and subnets."""
    blueprint, made = _deploy_variant(moto, tmp_path, WEBAPP,
                                      [("ecs.capability.gmsa",)] * healthy_hosts + [()] * unhealthy_hosts)
    plan = made["plan"]
    ecs = moto.client("ecs", plan.region)
    moto.client("ds", plan.region).create_microsoft_ad(
        Name=plan.directory.dns_name, ShortName=plan.directory.netbios_name, Password="Test-only-Passw0rd!",
        VpcSettings={"VpcId": made["vpc"], "SubnetIds": made["subnets"]})
    for service in plan.services:
        ecs.register_task_definition(family=service.family, containerDefinitions=[
            {"name": service.name, "image": service.container["image"], "memory": service.container["memory"]}])
        # moto starts no task for a new service, and counts every desired task as running once updated.
        ecs.create_service(cluster=plan.cluster.name, serviceName=service.name, taskDefinition=service.family,
                           desiredCount=desired_tasks)
    assert gen("publish", blueprint, *DOMAIN, "--endpoint-url", moto.url)[0] == 0
    return blueprint


def _doctor(moto: MotoServer, blueprint: str = WEBAPP) -> tuple[int, dict[str, dict]]:
    code, out, err = gen("doctor", blueprint, "--endpoint-url", moto.url, "--output", "json")
    assert err == "", err
    report = json.loads(out)
    assert report["passed"] == (code == 0)
    return code, {c["name"]: c for c in report["checks"]}


def test_doctor_passes_a_healthy_deployment(moto: MotoServer, tmp_path: Path) -> None:
    blueprint = _deploy_by_hand(moto, tmp_path, healthy_hosts=2, unhealthy_hosts=0)
    code, checks = _doctor(moto, blueprint)
    assert code == 0, checks
    assert checks.pop("domain DNS")["status"] == "SKIP", "Windows hosts resolve the domain through NRPT rules"
    assert [c["status"] for c in checks.values()] == ["PASS"] * len(checks)
    assert checks["execution role reads WebApp01"]["detail"].startswith("webapp-task-execution may ssm:GetParameters on it")
    assert checks["directory"]["detail"].endswith("(example.com) is Active")


def test_doctor_names_a_host_whose_agent_started_before_the_join(moto: MotoServer, tmp_path: Path) -> None:
    blueprint = _deploy_by_hand(moto, tmp_path, healthy_hosts=1, unhealthy_hosts=1)
    code, checks = _doctor(moto, blueprint)
    failing = [c for c in checks.values() if c["status"] == "FAIL"]
    assert code == 1 and len(failing) == 1
    assert failing[0]["name"].startswith("host i-") and "does not advertise ecs.capability.gmsa" in failing[0]["detail"]
    assert "started before the domain join" in failing[0]["hint"] and "Restart-Service AmazonECS" in failing[0]["hint"]


def test_doctor_tells_a_stale_spec_from_a_missing_one(moto: MotoServer, tmp_path: Path) -> None:
    blueprint = _deploy_by_hand(moto, tmp_path, healthy_hosts=1, unhealthy_hosts=0)
    ssm = moto.client("ssm", "us-east-1")
    ssm.put_parameter(Name="/webapp/credentialspecs/WebApp01", Value="{}", Type="String", Overwrite=True)
    code, checks = _doctor(moto, blueprint)
    assert code == 1 and "is not a credential spec" in checks["spec WebApp01"]["detail"]
    assert "gen publish" in checks["spec WebApp01"]["hint"]
    ssm.delete_parameter(Name="/webapp/credentialspecs/WebApp01")
    _, checks = _doctor(moto, blueprint)
    assert checks["spec WebApp01"]["detail"] == "ssm:/webapp/credentialspecs/WebApp01 does not exist"


def test_doctor_finds_an_execution_role_that_cannot_read_the_spec(moto: MotoServer, tmp_path: Path) -> None:
    blueprint = _deploy_by_hand(moto, tmp_path, healthy_hosts=1, unhealthy_hosts=0)
    moto.client("iam", "us-east-1").delete_role_policy(RoleName="webapp-task-execution", PolicyName="webapp-task-execution-inline")
    code, checks = _doctor(moto, blueprint)
    check = checks["execution role reads WebApp01"]
    assert code == 1 and check["status"] == "FAIL" and "implicitDeny" in check["detail"]


def test_doctor_counts_running_tasks(moto: MotoServer, tmp_path: Path) -> None:
    blueprint = _deploy_by_hand(moto, tmp_path, healthy_hosts=1, unhealthy_hosts=0, desired_tasks=2)
    code, checks = _doctor(moto, blueprint)
    assert code == 1 and checks["service web"]["detail"] == "0 of 2 tasks running"
    assert "ecs.capability.gmsa" in checks["service web"]["hint"]
    moto.client("ecs", "us-east-1").update_service(cluster="webapp", service="web", desiredCount=2)
    assert _doctor(moto, blueprint)[1]["service web"]["detail"] == "2 of 2 tasks running"


def test_doctor_on_nothing_deployed_explains_what_to_do_first(moto: MotoServer) -> None:
    code, out, _ = gen("doctor", WEBAPP, "--endpoint-url", moto.url)
    assert code == 1
    assert "FAIL  cluster" in out and "hint: deploy the stack first" in out
    assert out.rstrip().endswith("checks: 0 passed, 4 failed, 3 skipped")


def test_doctor_skips_what_an_on_premises_file_store_deployment_cannot_check(moto: MotoServer) -> None:
    code, checks = _doctor(moto, "blueprints/legacy.yaml")
    assert checks["directory"]["status"] == "SKIP" and checks["spec LegacyApp"]["status"] == "SKIP"
    assert checks["execution role reads LegacyApp"]["status"] == "SKIP"


# --- errors --------------------------------------------------------------------------------------


def test_no_credentials_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, moto_server: MotoServer) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", moto_server.url)
    assert (code, err) == (4, "error: no AWS credentials found; set AWS_PROFILE or pass --profile, or sign in (aws sso login)\n")


def test_an_unknown_profile_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, moto_server: MotoServer) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    code, _, err = gen("doctor", WEBAPP, "--profile", "nope", "--endpoint-url", moto_server.url)
    assert code == 4 and err.startswith("error: The config profile (nope) could not be found") and err[-1] == "\n"
    assert err.count("\n") == 1


@pytest.fixture
def enforcing_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MotoServer, dict[str, str]]]:
    """A moto server that enforces IAM after the first three calls, and the keys of a user who may
    read SSM parameters but not write them."""
    server = start_moto({"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        iam = server.client("iam", "us-east-1")
        iam.create_user(UserName="reader")
        iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameter", "sts:GetCallerIdentity"],
                                                    "Resource": "*"}]}))
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        yield server, {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


def test_access_denied_names_the_action_and_the_resource(enforcing_moto: tuple[MotoServer, dict[str, str]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    server, keys = enforcing_moto
    for name, value in keys.items():
        monkeypatch.setenv(name, value)
    code, _, err = gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", server.url)
    assert (code, err) == (4, "error: access denied: ssm:PutParameter on /webapp/credentialspecs/WebApp01; "
                              "allow ssm:PutParameter on that resource to the caller\n")


def test_an_endpoint_that_does_not_answer_is_one_line(moto: MotoServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", f"http://127.0.0.1:{port}")
    assert (code, err) == (4, f"error: could not reach http://127.0.0.1:{port} for ssm:GetParameter; "
                              "check the network, --region and --endpoint-url\n")


class _ScriptedErrors(http.server.BaseHTTPRequestHandler):
    """Answers every request with one AWS JSON-protocol error. moto cannot throttle or expire a
    token, so these two answers come from this scripted endpoint; the rest of this file uses moto."""

    code = "ThrottlingException"
    calls = 0

    def do_POST(self) -> None:  # noqa: N802
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"__type": self.code, "message": "scripted"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("code", "message", "attempts"), [
    ("ThrottlingException",
     "error: AWS kept throttling ssm:GetParameter on /webapp/credentialspecs/WebApp01 after 4 attempts; try again later\n",
     MAX_ATTEMPTS),
    ("ExpiredTokenException",
     "error: the AWS credentials have expired (ssm:GetParameter); refresh them (aws sso login) and retry\n", 1),
])
def test_throttling_retries_a_bounded_number_of_times_and_expiry_does_not(
        code: str, message: str, attempts: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    handler = type("Handler", (_ScriptedErrors,), {"code": code, "calls": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        exit_code, _, err = gen("publish", WEBAPP, *DOMAIN, "--endpoint-url", f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    assert (exit_code, err) == (4, message)
    assert handler.calls == attempts


# --- doctor, per variant -------------------------------------------------------------------------


def _deploy_variant(moto: MotoServer, tmp_path: Path, example: str,
                    hosts: list[tuple[str, ...]] | None = None) -> tuple[str, dict]:
    """What a deployment of an example leaves in AWS that doctor reads: its VPC (moto's, written
    into a copy of the blueprint), the cluster, the roles with their inline policies and, with
    hosts, one registered host per item of ``hosts`` (default one) advertising its attributes.
    Returns the copy, and the plan, VPC and subnets."""
    model = load_blueprint(Path(example)).model
    region = model.region
    ec2 = moto.client("ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate("ab")]
    text = (ROOT / example).read_text().replace(model.network.vpc_id, vpc)
    for given, made in zip(model.network.subnet_ids, subnets, strict=True):
        text = text.replace(given, made)
    blueprint = tmp_path / Path(example).name
    blueprint.write_text(text)
    plan = build_plan(load_blueprint(blueprint).model, example)
    moto.client("ecs", region).create_cluster(clusterName=plan.cluster.name)
    for role in (plan.execution_role, *([plan.host_role] if plan.host_role else [])):
        _create_role(moto, region, role)
    for attributes in (hosts if hosts is not None else [()]) if plan.hosts is not None else []:
        _register_host(moto, region, plan.cluster.name, attributes)
    return str(blueprint), {"plan": plan, "vpc": vpc, "subnets": subnets}


def _forward_domain(moto: MotoServer, region: str, vpc: str, subnets: list[str], domain: str) -> str:
    """A Route 53 Resolver rule forwarding ``domain``, associated with ``vpc``, as dns.tf makes it."""
    ec2, resolver = moto.client("ec2", region), moto.client("route53resolver", region)
    group = ec2.create_security_group(GroupName=f"dns-{vpc}", Description="dns", VpcId=vpc)["GroupId"]
    endpoint = resolver.create_resolver_endpoint(
        CreatorRequestId=f"endpoint-{vpc}", SecurityGroupIds=[group], Direction="OUTBOUND",
        IpAddresses=[{"SubnetId": s} for s in subnets])["ResolverEndpoint"]["Id"]
    rule = resolver.create_resolver_rule(CreatorRequestId=f"rule-{vpc}", RuleType="FORWARD", DomainName=domain,
                                         TargetIps=[{"Ip": "10.10.0.53", "Port": 53}],
                                         ResolverEndpointId=endpoint)["ResolverRule"]["Id"]
    resolver.associate_resolver_rule(ResolverRuleId=rule, VPCId=vpc)
    return rule


def test_doctor_on_fargate_skips_hosts_and_asks_the_vpc_for_the_domain(moto: MotoServer, tmp_path: Path) -> None:
    blueprint, made = _deploy_variant(moto, tmp_path, "blueprints/fargate.yaml")
    plan = made["plan"]
    _, checks = _doctor(moto, blueprint)
    assert checks["hosts"]["status"] == "SKIP" and "Fargate" in checks["hosts"]["detail"]
    dns = checks["domain DNS"]
    assert dns["status"] == "FAIL" and f"no Route 53 Resolver rule for {plan.directory.dns_name}" in dns["detail"]
    assert "it creates the Route 53 Resolver rule" in dns["hint"], "the blueprint sets dns_forwarding"
    rule = _forward_domain(moto, plan.region, made["vpc"], made["subnets"], plan.directory.dns_name)
    _, checks = _doctor(moto, blueprint)
    assert checks["domain DNS"]["status"] == "PASS" and rule in checks["domain DNS"]["detail"]


def test_doctor_accepts_dhcp_options_that_name_the_domains_servers(moto: MotoServer, tmp_path: Path) -> None:
    blueprint, made = _deploy_variant(moto, tmp_path, "blueprints/fargate.yaml")
    ec2 = moto.client("ec2", made["plan"].region)
    options = ec2.create_dhcp_options(DhcpConfigurations=[{"Key": "domain-name-servers",
                                                           "Values": ["10.10.0.53", "10.10.1.53"]}])
    ec2.associate_dhcp_options(DhcpOptionsId=options["DhcpOptions"]["DhcpOptionsId"], VpcId=made["vpc"])
    _, checks = _doctor(moto, blueprint)
    assert checks["domain DNS"]["status"] == "PASS" and "10.10.0.53, 10.10.1.53" in checks["domain DNS"]["detail"]


def test_doctor_checks_who_may_read_the_domainless_secret(moto: MotoServer, tmp_path: Path) -> None:
    blueprint, made = _deploy_variant(moto, tmp_path, "blueprints/fargate.yaml")
    plan = made["plan"]
    name = "task execution role reads the domainless secret"
    _, checks = _doctor(moto, blueprint)
    assert checks[name]["status"] == "PASS", checks[name]
    moto.client("iam", plan.region).delete_role_policy(RoleName=plan.execution_role.name,
                                                      PolicyName=plan.execution_role.policy_name)
    _, checks = _doctor(moto, blueprint)
    assert checks[name]["status"] == "FAIL" and "secretsmanager:GetSecretValue" in checks[name]["detail"]


def test_doctor_wants_the_capability_of_the_hosts_mode(moto: MotoServer, tmp_path: Path) -> None:
    """A domainless Windows host must advertise ecs.capability.gmsa-domainless; the joined
    capability alone does not place a domainless task (amazon-ecs-agent agent_capability_windows.go)."""
    blueprint, made = _deploy_variant(moto, tmp_path, "blueprints/windows-domainless.yaml",
                                      [("ecs.capability.gmsa",)])
    _, checks = _doctor(moto, blueprint)
    (host,) = [c for n, c in checks.items() if n.startswith("host ")]
    assert host["status"] == "FAIL" and "ecs.capability.gmsa-domainless" in host["detail"]
    assert "CCG plugin" in host["hint"] and "ECS_GMSA_SUPPORTED=true" in host["hint"]
    assert checks["domain DNS"]["status"] == "SKIP", "Windows hosts resolve the domain through NRPT rules"
    plan, ecs = made["plan"], moto.client("ecs", made["plan"].region)
    (instance,) = ecs.list_container_instances(cluster=plan.cluster.name)["containerInstanceArns"]
    ecs.put_attributes(cluster=plan.cluster.name, attributes=[{"name": "ecs.capability.gmsa-domainless",
                                                                "targetId": instance}])
    _, checks = _doctor(moto, blueprint)
    assert [c["status"] for n, c in checks.items() if n.startswith("host ")] == ["PASS"]


def test_doctor_on_linux_hosts_points_at_credentials_fetcher(moto: MotoServer, tmp_path: Path) -> None:
    blueprint, _ = _deploy_variant(moto, tmp_path, "blueprints/linux-ec2.yaml")
    _, checks = _doctor(moto, blueprint)
    (host,) = [c for n, c in checks.items() if n.startswith("host ")]
    assert host["status"] == "FAIL" and "credentials-fetcher" in host["hint"]


def test_publish_writes_a_domainless_spec_as_its_platform_reads_it(moto: MotoServer) -> None:
    """tickets (Fargate, domainless): the S3 object is the spec gen renders, PluginInput an object."""
    s3 = moto.client("s3", "eu-west-1")
    bucket = f"tickets-credspecs-{ACCOUNT}-eu-west-1"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    code, out, err = gen("publish", "blueprints/fargate.yaml", "--endpoint-url", moto.url)
    assert (code, out) == (0, f"created: s3://{bucket}/credentialspecs/TicketsWeb.json\n"), err
    stored = s3.get_object(Bucket=bucket, Key="credentialspecs/TicketsWeb.json")["Body"].read().decode()
    assert stored == (ROOT / "out" / "tickets" / "credentialspecs" / "TicketsWeb.json").read_text()
    assert json.loads(stored)["ActiveDirectoryConfig"]["HostAccountConfig"]["PluginInput"] == {
        "CredentialArn": "arn:aws:secretsmanager:eu-west-1:888899990000:secret:tickets/gmsa-reader-Op12Qr"}
