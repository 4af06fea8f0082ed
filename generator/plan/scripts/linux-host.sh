#!/usr/bin/env bash
# Prepares this Amazon Linux 2023 host for gMSA before the ECS agent starts: ecs.service starts
# after cloud-final (this user data), and ecs-init mounts credentials-fetcher's socket into the
# agent only if it exists then and ECS_GMSA_SUPPORTED is exactly "true" (ecs-init docker.go).
set -euo pipefail
# @SETTINGS@

# 1. Join the domain and the gMSA group (domain-joined mode only).
# @JOIN@

# 2. credentials-fetcher, before the agent now and at every boot.
dnf install -y credentials-fetcher
mkdir -p /etc/systemd/system/ecs.service.d
cat > /etc/systemd/system/ecs.service.d/10-credentials-fetcher.conf <<'UNIT'
[Unit]
Wants=credentials-fetcher.service
After=credentials-fetcher.service
UNIT
systemctl daemon-reload
systemctl enable --now credentials-fetcher

# 3. The agent's settings.
# @AGENT@
