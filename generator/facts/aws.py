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


#: The longest name AWS accepts for each kind of resource gen names, from each service's API
#: reference (the Name/…Name parameter's "Length Constraints"): IAM CreateRole (RoleName 64),
#: CreateInstanceProfile (128), PutRolePolicy (PolicyName 128); S3 bucket naming rules (63);
#: EC2 CreateLaunchTemplate (128) and CreateSecurityGroup (GroupName 255); Auto Scaling
#: CreateAutoScalingGroup (255); ECS CreateCluster (255), CreateCapacityProvider (255),
#: RegisterTaskDefinition (family 255); SSM CreateDocument (128), CreateAssociation
#: (AssociationName 128), PutParameter (Name 1011); CloudWatch Logs CreateLogGroup (512);
#: Secrets Manager CreateSecret (Name 512); Lambda CreateFunction (FunctionName 64); Route 53
#: Resolver CreateResolverEndpoint and CreateResolverRule (Name 64). gen creates no load balancer.
NAME_LIMITS: dict[str, int] = {
    "IAM role": 64, "IAM instance profile": 128, "IAM inline policy": 128, "S3 bucket": 63,
    "EC2 launch template": 128, "EC2 security group": 255, "Auto Scaling group": 255, "ECS cluster": 255,
    "ECS capacity provider": 255, "ECS task definition family": 255, "SSM document": 128,
    "SSM association": 128, "SSM parameter": 1011, "CloudWatch Logs log group": 512, "Secrets Manager secret": 512,
    "Lambda function": 64, "Route 53 Resolver endpoint": 64, "Route 53 Resolver rule": 64,
}  # fmt: skip

#: An AWS account id, as long as it is written in a name (12 digits).
ACCOUNT_ID_LENGTH = 12
#: The characters Secrets Manager adds to a name prefix (CloudFormation and Terraform's
#: name_prefix) to make it unique: a hyphen and six random characters, then Terraform's 26.
SECRET_NAME_SUFFIX_LENGTH = 26
