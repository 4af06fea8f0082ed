"""Application Load Balancer facts: the limits ELB enforces and the settings gen chooses.

Sources: the ELBv2 API model (botocore ``elbv2/2015-12-01/service-2.json``: shapes
``HealthCheckIntervalSeconds``, ``HealthCheckTimeoutSeconds``, ``HealthCheckThresholdCount``,
``RulePriority``, ``Path``, ``CreateTargetGroupInput``, ``HostHeaderConditionConfig``,
``PathPatternConditionConfig``), the ALB User Guide (``target-group-health-checks.html``,
``load-balancer-listeners.html#rule-condition-types``, ``create-https-listener.html``,
``load-balancer-limits.html``) and the ECS Developer Guide (``load-balancer-types.html``).
"""

from __future__ import annotations

#: Target group health check ranges (botocore elbv2 shapes; terraform-provider-aws
#: ``target_group.go`` checks the same). The timeout must also be shorter than the interval:
#: the API answers "Health check interval must be greater than the timeout" (moto:
#: "Health check timeout ... must be smaller than the interval").
HEALTH_CHECK_INTERVAL = (5, 300)
HEALTH_CHECK_TIMEOUT = (2, 120)
HEALTH_CHECK_THRESHOLD = (2, 10)
#: ALB success codes may lie between 200 and 499 (botocore ``Matcher.HttpCode``).
MATCHER_CODES = (200, 499)
#: ``deregistration_delay.timeout_seconds``: 0-3600, default 300 (botocore ``TargetGroupAttribute``).
DEREGISTRATION_DELAY = (0, 3600)

#: Listener rule priorities (botocore ``RulePriority``); a listener's priorities are unique.
RULE_PRIORITY = (1, 50000)
#: Wildcards ('*', '?') per rule (ALB guide, quotas: "Condition Wildcards per Rule 5"). The
#: characters and lengths of a host (128) and a path pattern (128), and of a health check path
#: (1024), are the patterns of generator.blueprint.types.
WILDCARDS_PER_RULE = 5

#: Names of load balancers and target groups: 32 letters, digits or '-', no '-' at either end,
#: and a load balancer's not starting with "internal-" (botocore ``CreateLoadBalancerInput.Name``,
#: ``CreateTargetGroupInput.Name``).
NAME_MAX = 32

#: The TLS policy of the HTTPS listener: AWS recommends it for HTTPS listeners (ALB guide,
#: ``create-https-listener.html``: "we recommend the ELBSecurityPolicy-TLS13-1-2-2021-06
#: security policy"); left out, CloudFormation and Terraform get ELBSecurityPolicy-2016-08,
#: which still allows TLS 1.0.
SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
HTTP_PORT = 80
HTTPS_PORT = 443
