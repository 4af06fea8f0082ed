"""Blueprints of any number of services, for the scale tests and bench/render.py.

Each service is a realistic one: its own port, environment, a secret, and every fifth a task
role (then an awsvpc task on Windows, on port 8443 of its own interface; the others publish host
ports 8000 and up, adjacent, so that two inbound rules per CIDR serve them all), on ten gMSA
accounts.
"""

from __future__ import annotations


def blueprint_text(services: int, name: str = "scale", vpc: str = "vpc-0e4f1a7c9b2d35168",
                   subnets: tuple[str, ...] = ("subnet-07c3e9a1f5b2d4860", "subnet-0f1e2d3c4b5a69788")) -> str:
    """A valid blueprint of ``services`` services (existing directory, SSM specs, Windows hosts)."""
    lines = [
        "version: 1",
        f"name: {name}",
        "region: us-east-1",
        "tags: {team: platform}",
        "network:",
        f"  vpc_id: {vpc}",
        f"  subnet_ids: [{', '.join(subnets)}]",
        "  allowed_cidrs: [10.0.0.0/8, 192.168.0.0/16]",
        "directory:",
        "  dns_name: corp.example.com",
        "  netbios_name: CORP",
        "  sid: S-1-5-21-1004336348-1177238915-682003330",
        "  guid: 5f8d5ef0-3e54-4a4b-9c1f-0d2b6c8c9a11",
        "  existing:",
        "    dns_ips: [10.0.0.10, 10.0.1.10]",
        "hosts:",
        "  os: windows-server-2022-core",
        "  instance_type: m5.24xlarge",
        "  min: 2",
        "  max: 100",
        "  gmsa_group: ScaleHosts",
        "  join_secret: arn:aws:secretsmanager:us-east-1:210987654321:secret:scale/join-AbCdEf",
        "gmsa_accounts:",
        *(f"  - name: Scale{a:02d}" for a in range(10)),
        "services:" if services else "services: []",
    ]
    host_ports = 0
    for i in range(services):
        awsvpc = i % 5 == 4
        port = 8443 if awsvpc else 8000 + host_ports
        host_ports += not awsvpc
        lines += [
            f"  - name: svc{i:04d}",
            f"    gmsa: Scale{i % 10:02d}",
            "    image: mcr.microsoft.com/dotnet/framework/aspnet:4.8",
            "    cpu: 256",
            "    memory: 512",
            f"    port: {port}",
            f"    environment: {{APP_NAME: svc{i:04d}, LOG_LEVEL: info}}",
            "    secrets:",
            f"      DB_CONNECTION: arn:aws:secretsmanager:us-east-1:210987654321:secret:scale/db-{i % 20:02d}-AbCdEf",
        ]
        if awsvpc:
            lines += ["    task_role:", "      managed_policy_arns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]"]
    return "\n".join(lines) + "\n"


def routed_text(services: int, name: str = "routed") -> str:
    """:func:`blueprint_text` behind an internal load balancer, every service routed by its path
    at a priority of its own (derived priorities of this many same-shaped routes would collide,
    which GEN046 reports)."""
    text = blueprint_text(services, name).replace(
        "gmsa_accounts:", "load_balancer:\n  scheme: internal\n  allowed_cidrs: [10.0.0.0/8]\ngmsa_accounts:", 1)
    for i in range(services):
        text = text.replace(f"  - name: svc{i:04d}\n", f"  - name: svc{i:04d}\n    route: {{path: \"/svc{i:04d}/*\", priority: {i + 1}}}\n", 1)
    return text
