"""Quotas of AWS that a large blueprint reaches, each with the page that states it.

The plan keeps within them where it can (several CloudFormation stacks, consolidated
security-group rules, a spec statement on the blueprint's own prefix); the rules in
:mod:`generator.blueprint.rules.quotas` refuse what cannot fit, before AWS does.
"""

from __future__ import annotations

#: CloudFormation User Guide, "CloudFormation quotas"
#: (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
#: resources declared in one template, parameters, outputs, and the template body's size when it
#: comes from S3 (1 MB) or with the request (51,200 bytes).
CFN_DOCS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html"
CFN_MAX_RESOURCES = 500
CFN_MAX_PARAMETERS = 200
CFN_MAX_OUTPUTS = 200
CFN_MAX_TEMPLATE_BYTES = 1_048_576
CFN_MAX_DIRECT_TEMPLATE_BYTES = 51_200

#: Amazon VPC User Guide, "Amazon VPC quotas", Security groups
#: (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html): 60 inbound rules
#: per security group by default (IPv4 and IPv6 counted apart); a referenced managed prefix list
#: counts its maximum number of entries against it.
VPC_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"
SG_MAX_INBOUND_RULES = 60
#: EC2 API Reference, IpRange: a rule's description holds at most 255 characters.
SG_RULE_DESCRIPTION_CHARS = 255

#: IAM User Guide, "IAM and AWS STS quotas"
#: (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): the inline
#: policies of one role together hold at most 10,240 characters, white space not counted; an
#: account holds 1,000 roles by default, at most 5,000 after an increase.
IAM_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
IAM_ROLE_POLICY_CHARS = 10_240
IAM_ROLES_PER_ACCOUNT = 1_000
IAM_ROLES_PER_ACCOUNT_MAX = 5_000

#: Elastic Load Balancing, "Quotas for your Application Load Balancers"
#: (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html):
#: 100 rules per load balancer, not counting default rules (adjustable), and 100 target groups
#: per load balancer (not adjustable). gen gives each routed service one of each.
ALB_DOCS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html"
ALB_MAX_RULES = 100
ALB_MAX_TARGET_GROUPS = 100

#: How gen splits services across CloudFormation stacks once they do not fit one: each service
#: belongs to one of this many service stacks, chosen from its name alone (see
#: :func:`generator.naming.service_stack`), so adding or removing another service never moves it.
SERVICE_STACKS = 32
#: The most services one service stack holds: a service is at most 8 resources (log group,
#: task definition, service, task role, and room for load-balancer resources), 8 x 60 = 480 of
#: CloudFormation's 500.
SERVICES_PER_STACK = 60
RESOURCES_PER_SERVICE_MAX = 8
#: The most gMSA accounts whose specs the base stack stores and reports: one output each, within
#: CloudFormation's 200 outputs next to the base stack's own outputs and exports (at most 12).
GMSA_ACCOUNTS_MAX = 188
