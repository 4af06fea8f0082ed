"""The load balancer's plan: target types and host ports, stable listener-rule priorities, the
deployment defaults of routed services, the agent's pinned port range, and the SPNs the
directory setup registers."""

from __future__ import annotations

import json

from generator.blueprint.model import Blueprint, ExistingDirectory
from generator.blueprint.types import SecretArnReference
from generator.facts.load_balancer import NAME_MAX, RULE_PRIORITY
from generator.naming import fitted, route_priority
from generator.plan import build_plan
from generator.plan.load_balancer import plan_load_balancer
from tests.conftest import ROOT, load, plan_of

INTRANET = ROOT / "blueprints" / "intranet.yaml"
TALLY = ROOT / "tests" / "fixtures" / "good" / "routed-linux-plain-http.yaml"


def _priorities(bp: Blueprint) -> dict[str, int]:
    lb = plan_load_balancer(bp)
    assert lb is not None
    return {g.service: g.priority for g in lb.target_groups}


def test_adding_or_removing_a_service_never_renumbers_the_others() -> None:
    bp = load(INTRANET).model
    before = _priorities(bp)
    without_portal = bp.model_copy(update={"services": [s for s in bp.services if s.name != "portal"]})
    assert _priorities(without_portal) == {k: v for k, v in before.items() if k != "portal"}
    extra = bp.services[1].model_copy(update={"name": "search", "route": bp.services[1].route.model_copy(
        update={"path": "/search/*"})})
    with_search = bp.model_copy(update={"services": [extra, *bp.services]})
    after = _priorities(with_search)
    assert {k: v for k, v in after.items() if k != "search"} == before
    assert after["search"] not in before.values()


def test_more_specific_routes_are_matched_first() -> None:
    exact, wildcard, anywhere = "intranet.example.com", "*.example.com", None
    assert route_priority(exact, "/api/*") < route_priority(exact, "/*") < route_priority(wildcard, "/api/*")
    assert route_priority(wildcard, "/*") < route_priority(anywhere, "/api/v2/*") < route_priority(anywhere, "/api/*")
    assert route_priority(anywhere, "/api/*") < route_priority(anywhere, "/*")
    low, high = RULE_PRIORITY
    assert low <= route_priority(exact, "/" + "a" * 127) and route_priority(None, "*") <= high
    # The intranet example: the API's rule comes before the portal's catch-all on the same host.
    priorities = _priorities(load(INTRANET).model)
    assert priorities["api"] < priorities["portal"] and priorities["reports"] == 100


def test_names_over_the_elb_limit_are_shortened_the_same_way_every_time() -> None:
    long_a, long_b = "storefront-prod-orders-reporting-api", "storefront-prod-orders-reporting-web"
    assert fitted("intranet-portal", NAME_MAX) == "intranet-portal"
    assert len(fitted(long_a, NAME_MAX)) <= NAME_MAX and fitted(long_a, NAME_MAX) == fitted(long_a, NAME_MAX)
    assert fitted(long_a, NAME_MAX) != fitted(long_b, NAME_MAX)
    assert not fitted("a" * 22 + "-" + "b" * 20, NAME_MAX).startswith("-")


def test_default_mode_targets_are_instances_on_dynamic_ports_and_awsvpc_ones_ips() -> None:
    plan = plan_of(TALLY)
    groups = {g.service: g for g in plan.load_balancer.target_groups}
    assert (groups["web"].target_type, groups["feed"].target_type) == ("instance", "ip")
    ports = {s.name: s.container["portMappings"][0] for s in plan.services}
    assert ports["web"] == {"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}
    assert ports["feed"] == {"containerPort": 9090, "hostPort": 9090, "protocol": "tcp"}
    # Routed services open nothing to networks on the hosts or the tasks: the load balancer reaches them.
    assert plan.hosts.ingress == () and plan.task_network.ingress == ()
    assert plan.load_balancer.host_ports == (49153, 65535) and plan.load_balancer.task_ports == (9090,)
    assert plan.bootstrap.agent.environment["ECS_DYNAMIC_HOST_PORT_RANGE"] == "49153-65535"
    assert plan_of(INTRANET).bootstrap.agent.environment["ECS_DYNAMIC_HOST_PORT_RANGE"] == "49152-65535"
    assert "ECS_DYNAMIC_HOST_PORT_RANGE" not in plan_of(ROOT / "blueprints" / "webapp.yaml").bootstrap.agent.environment


def test_a_routed_service_starts_its_replacement_before_it_stops_its_only_task() -> None:
    bp = load(INTRANET).model
    reports = next(s for s in bp.services if s.name == "reports")
    without_settings = bp.model_copy(update={"services": [reports.model_copy(update={"deployment": None})]})
    (service,) = build_plan(without_settings, "x.yaml").services
    assert (service.desired_count, service.minimum_healthy_percent, service.maximum_percent) == (1, 100, 200)
    # An autoscaled service starts at its minimum.
    portal = next(s for s in build_plan(bp, "x.yaml").services if s.name == "portal")
    assert portal.desired_count == 2 and portal.scaling is not None and portal.scaling.resource_id == "service/intranet/portal"


def test_a_container_health_check_only_when_the_blueprint_gives_its_command() -> None:
    containers = {s.name: s.container for s in plan_of(INTRANET).services}
    assert containers["portal"]["healthCheck"] == {"command": ["CMD", "curl.exe", "-f", "http://localhost/health"],
                                                   "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 180}
    assert "healthCheck" not in containers["api"] and "healthCheck" not in containers["reports"]


def test_the_directory_setup_registers_http_spns_of_exact_hosts_on_their_gmsa() -> None:
    setup = json.dumps(plan_of(INTRANET).directory_setup.content)
    for account, spn in (("Intranet01", "HTTP/intranet.example.com"), ("Reports01", "HTTP/reports.example.com")):
        assert f"Set-ADServiceAccount @Ad -Identity '{account}' -ServicePrincipalNames @{{ Add = '{spn}' }}" in setup
        assert f"if ($spns -notcontains '{spn}')" in setup  # read before written: a second run changes nothing
    assert setup.count("ServicePrincipalNames @{ Add") == 2  # portal and api share one host, one SPN
    # A wildcard host names no one host: no SPN.
    assert "ServicePrincipalNames @{ Add" not in json.dumps(plan_of(TALLY).directory_setup.content)


def test_an_existing_domain_gets_the_spns_in_its_setup_script() -> None:
    bp = load(INTRANET).model
    directory = bp.directory.model_copy(update={
        "managed": None, "sid": "S-1-5-21-1004336348-1177238915-682003330", "guid": "2b9d1a8e-5c3f-4e1a-9d7b-0f2e6c4a8b31",
        "existing": ExistingDirectory(dns_ips=["10.20.1.10", "10.20.2.10"])})
    hosts = bp.hosts.model_copy(update={"join_secret": SecretArnReference(
        arn="arn:aws:secretsmanager:eu-west-1:210987654321:secret:intranet/ad-join-Xy12Ab")})
    script = build_plan(bp.model_copy(update={"directory": directory, "hosts": hosts}), "x.yaml").directory_setup.script
    gmsas = script.index("Set-Gmsa -Name 'Reports01'")
    spn = script.index("Set-ADServiceAccount @Ad -Identity 'Reports01' -ServicePrincipalNames @{ Add = 'HTTP/reports.example.com' }")
    assert gmsas < spn  # the account exists before its SPN is added
