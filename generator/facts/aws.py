"""AWS facts: partitions, ARNs, the managed policies gen attaches, and ECS task limits."""

from __future__ import annotations

#: Managed policies of the container hosts' role, as the AWS guide names them
#: (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html).
HOST_MANAGED_POLICIES = (
    "service-role/AmazonEC2ContainerServiceforEC2Role",
    "AmazonSSMManagedInstanceCore",
    "AmazonSSMDirectoryServiceAccess",
)
TASK_EXECUTION_MANAGED_POLICY = "service-role/AmazonECSTaskExecutionRolePolicy"
#: What an instance needs to be managed by Systems Manager (Run Command, State Manager).
SSM_MANAGED_INSTANCE_POLICY = "AmazonSSMManagedInstanceCore"
#: What a Lambda function needs to write its logs.
LAMBDA_BASIC_EXECUTION_POLICY = "service-role/AWSLambdaBasicExecutionRole"

#: ECS accepts 128 to 196608 CPU units for EC2 tasks; on Windows a container without CPU units
#: gets 1% of one CPU, so gen asks for an explicit value in this range
#: (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html).
CPU_UNITS_RANGE = (128, 196608)
#: Docker reserves at least 6 MiB for a container; ECS refuses less.
MIN_CONTAINER_MEMORY_MIB = 6

#: CloudFormation's WaitForSuccessTimeoutSeconds of an SSM association: 15 to 172800 seconds
#: (AWS::SSM::Association resource schema, as shipped in cfn-lint's provider schemas).
ASSOCIATION_WAIT_RANGE = (15, 172800)


def partition_of(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn_partition(arn: str) -> str:
    """The partition written in an ARN."""
    return arn.split(":", 2)[1]


def arn_region(arn: str) -> str:
    """The region written in an ARN (empty for global services)."""
    return arn.split(":", 4)[3]


#: CIDR blocks that admit every address: a rule asks for an explicit opt-in before a port is
#: opened to them.
WORLD_CIDRS = ("0.0.0.0/0", "::/0")
