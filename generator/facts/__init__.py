"""Facts about AWS, the ECS agent and Windows that the rules and the plan both rely on.

Each fact sits in one table with its source next to it (the AWS page, the amazon-ecs-agent source
file, or Microsoft's page), so that a rule and the plan never disagree and a reviewer can check
the source: :mod:`~generator.facts.aws` (partitions, ARNs, policies, ECS limits),
:mod:`~generator.facts.agent` (what the ECS agent on Windows reserves and advertises),
:mod:`~generator.facts.windows` (releases, AMIs, images, memory), and
:mod:`~generator.facts.instances` (instance types: CPUs, memory, network interfaces).
"""
