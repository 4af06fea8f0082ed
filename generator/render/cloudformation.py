"""Translate a plan into one CloudFormation template, with troposphere.

Every decision was made in the plan; this module only maps plan objects to resources and
:mod:`generator.expr` values to intrinsic functions. troposphere validates property names and
types as the template is built; its errors would mean a bug here, never a user mistake.
"""

from __future__ import annotations

import json
from typing import Any

from awacs import aws as awacs_aws
from awacs.aws import Action as AwacsAction
from awacs.aws import Allow, Condition, Deny, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import (
    AWSHelperFn,
    GetAtt,
    Join,
    Output,
    Parameter,
    Ref,
    Sub,
    Tags,
    Template,
    autoscaling,
    directoryservice,
    ec2,
    ecs,
    iam,
    logs,
    s3,
    ssm,
)
from troposphere.validators.ecs import RUNTIME_PLATFORM_OS_FAMILY

from generator import expr
from generator.facts import WINDOWS_RELEASES
from generator.output import header
from generator.plan import SPEC_PARAMETER_TIER, SPEC_PARAMETER_TYPE, Plan, RolePlan, ServicePlan, SpecPlan
from generator.policies import Statement as PlanStatement
from generator.waivers import Waiver

HOST_IMAGE_PARAMETER = "HostImageId"


class RuntimePlatform(ecs.RuntimePlatform):
    """troposphere's RuntimePlatform, also accepting OS families it does not list yet.

    troposphere 4.x lacks e.g. ``WINDOWS_SERVER_2025_FULL``. Rather than drop validation, the
    allowed families are troposphere's plus the ones gen knows from its own facts table.
    """

    FAMILIES = sorted(set(RUNTIME_PLATFORM_OS_FAMILY) | {r.os_family for r in WINDOWS_RELEASES.values()})

    def validate(self) -> None:
        family = self.properties.get("OperatingSystemFamily")
        if family is not None and not isinstance(family, AWSHelperFn) and family not in self.FAMILIES:
            raise ValueError(f"RuntimePlatform OperatingSystemFamily must be one of: {', '.join(self.FAMILIES)}")
        architecture = self.properties.get("CpuArchitecture")
        if architecture is not None and architecture not in ("X86_64", "ARM64"):
            raise ValueError("RuntimePlatform CpuArchitecture must be one of: X86_64, ARM64")


# --- values ------------------------------------------------------------------------------------

_SUB_NAMES = {"account_id": "AWS::AccountId", "directory_id": "Directory", "partition": "AWS::Partition",
              "region": "AWS::Region"}


def cfn(value: Any) -> Any:
    """A plan value as CloudFormation: literals as they are, deploy-time values as intrinsics."""
    if isinstance(value, expr.Text):
        parts = []
        for part in value.parts:
            if isinstance(part, str):
                parts.append(part.replace("${", "${!"))
            else:
                parts.append("${" + _SUB_NAMES[part.name] + "}")
        return Sub("".join(parts))
    if isinstance(value, expr.Ref):
        if value == expr.ACCOUNT_ID:
            return Ref("AWS::AccountId")
        if value == expr.DIRECTORY_ID:
            return Ref("Directory")
        if value == expr.DIRECTORY_DNS_IPS:
            return Join(",", GetAtt("Directory", "DnsIpAddresses"))
        if value == expr.HOST_IMAGE_ID:
            return Ref(HOST_IMAGE_PARAMETER)
        if value.name in ("partition", "region"):
            return Ref(_SUB_NAMES[value.name])
        raise ValueError(f"no CloudFormation form for {value}")
    if isinstance(value, dict):
        return {k: cfn(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [cfn(v) for v in value]
    return value


def _pascal_keys(value: Any, *, inside_options: bool = False) -> Any:
    """ECS API shape (``portMappings``) -> CloudFormation shape (``PortMappings``).

    Keys of ``options`` maps (log driver options) are data, not properties, and stay as they are.
    """
    if isinstance(value, dict):
        return {
            (k if inside_options else k[:1].upper() + k[1:]): _pascal_keys(v, inside_options=(k == "options"))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_pascal_keys(v) for v in value]
    return value


def _kept(retain: bool) -> dict[str, str]:
    """DeletionPolicy and UpdateReplacePolicy of a resource whose data the plan keeps or not."""
    policy = "Retain" if retain else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def _waived(waivers: tuple[Waiver, ...]) -> dict[str, Any]:
    """Resource Metadata telling checkov which findings are accepted, and why."""
    return {"checkov": {"skip": [{"id": w.check, "comment": w.reason} for w in waivers]}}


def _tags(plan: Plan) -> Tags:
    return Tags({t.key: t.value for t in plan.tags})


def _statement(statement: PlanStatement) -> Statement:
    kwargs: dict[str, Any] = {
        "Sid": statement.sid,
        "Effect": Allow if statement.effect == "Allow" else Deny,
        "Action": [AwacsAction(*a.split(":", 1)) for a in statement.actions],
        "Resource": [cfn(r) for r in statement.resources],
    }
    if statement.principal is not None:
        kwargs["Principal"] = Principal("AWS", statement.principal) if statement.principal != "*" else Principal("*")
    if statement.conditions:
        # awacs has one class per condition test (Bool, StringEquals, ...).
        kwargs["Condition"] = Condition(
            [getattr(awacs_aws, c.test)(c.variable, c.values[0] if len(c.values) == 1 else list(c.values))
             for c in statement.conditions]
        )
    return Statement(**kwargs)


def _policy(statements: tuple[PlanStatement, ...]) -> PolicyDocument:
    return PolicyDocument(Version="2012-10-17", Statement=[_statement(s) for s in statements])


# --- resources ---------------------------------------------------------------------------------


def _role(t: Template, plan: Plan, role: RolePlan) -> iam.Role:
    properties: dict[str, Any] = {
        "RoleName": role.name,
        "Description": role.description,
        "AssumeRolePolicyDocument": PolicyDocument(
            Version="2012-10-17",
            Statement=[Statement(Effect=Allow, Action=[AssumeRole], Principal=Principal("Service", [role.service_principal]))],
        ),
        "ManagedPolicyArns": list(role.managed_policy_arns),
        "Tags": _tags(plan),
    }
    if role.statements:
        properties["Policies"] = [iam.Policy(PolicyName=role.policy_name, PolicyDocument=_policy(role.statements))]
    return t.add_resource(iam.Role(role.logical_id, **properties))


def _directory(t: Template, plan: Plan) -> None:
    managed = plan.directory.managed
    if managed is None:
        return
    t.add_resource(
        directoryservice.MicrosoftAD(
            managed.logical_id,
            **_kept(managed.retain),
            Name=plan.directory.dns_name,
            ShortName=plan.directory.netbios_name,
            Edition=managed.edition,
            Password=managed.password_reference,
            VpcSettings=directoryservice.VpcSettings(VpcId=managed.vpc_id, SubnetIds=list(managed.subnet_ids)),
        )
    )


def _hosts(t: Template, plan: Plan) -> None:
    hosts = plan.hosts
    t.add_parameter(
        Parameter(
            HOST_IMAGE_PARAMETER,
            Type="AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            Default=hosts.ami_parameter,
            Description="SSM parameter with the ECS-optimized Windows AMI of the hosts",
        )
    )
    _role(t, plan, plan.host_role)
    t.add_resource(
        iam.InstanceProfile("HostInstanceProfile", InstanceProfileName=hosts.instance_profile_name,
                            Roles=[Ref(plan.host_role.logical_id)])
    )
    t.add_resource(
        ec2.SecurityGroup(
            "HostSecurityGroup",
            Metadata=_waived(hosts.security_group_waivers),
            GroupName=hosts.name,
            GroupDescription=hosts.description,
            VpcId=hosts.vpc_id,
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=r.port, ToPort=r.port, CidrIp=r.cidr, Description=r.description)
                for r in hosts.ingress
            ],
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(IpProtocol="-1", CidrIp="0.0.0.0/0", Description=hosts.egress_description)
            ],
            Tags=_tags(plan),
        )
    )
    t.add_resource(
        ec2.LaunchTemplate(
            "HostLaunchTemplate",
            LaunchTemplateName=hosts.name,
            LaunchTemplateData=ec2.LaunchTemplateData(
                ImageId=cfn(expr.HOST_IMAGE_ID),
                InstanceType=hosts.instance_type,
                IamInstanceProfile=ec2.IamInstanceProfile(Arn=GetAtt("HostInstanceProfile", "Arn")),
                SecurityGroupIds=[GetAtt("HostSecurityGroup", "GroupId")],
                EbsOptimized=hosts.ebs_optimized,
                Monitoring=ec2.Monitoring(Enabled=hosts.detailed_monitoring),
                MetadataOptions=ec2.MetadataOptions(
                    HttpEndpoint="enabled", HttpTokens=hosts.http_tokens, HttpPutResponseHopLimit=hosts.metadata_hop_limit
                ),
                BlockDeviceMappings=[
                    ec2.LaunchTemplateBlockDeviceMapping(
                        DeviceName=hosts.root_device_name,
                        Ebs=ec2.EBSBlockDevice(VolumeSize=hosts.root_volume_gib, VolumeType=hosts.volume_type,
                                               Encrypted=True, DeleteOnTermination=True),
                    )
                ],
            ),
        )
    )
    t.add_resource(
        autoscaling.AutoScalingGroup(
            "HostAutoScalingGroup",
            AutoScalingGroupName=hosts.name,
            MinSize=str(hosts.min_size),
            MaxSize=str(hosts.max_size),
            DesiredCapacity=str(hosts.desired),
            VPCZoneIdentifier=list(hosts.subnet_ids),
            LaunchTemplate=autoscaling.LaunchTemplateSpecification(
                LaunchTemplateId=Ref("HostLaunchTemplate"), Version=GetAtt("HostLaunchTemplate", "LatestVersionNumber")
            ),
            NewInstancesProtectedFromScaleIn=False,
            Tags=autoscaling.Tags(**{tag.key: tag.value for tag in hosts.propagated_tags}),
        )
    )


def _cluster(t: Template, plan: Plan) -> None:
    t.add_resource(
        ecs.Cluster(
            "Cluster",
            ClusterName=plan.cluster.name,
            ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value=plan.cluster.container_insights)],
            Tags=_tags(plan),
        )
    )
    t.add_resource(
        ecs.CapacityProvider(
            "CapacityProvider",
            Name=plan.cluster.capacity_provider,
            AutoScalingGroupProvider=ecs.AutoScalingGroupProvider(
                AutoScalingGroupArn=Ref("HostAutoScalingGroup"),
                ManagedScaling=ecs.ManagedScaling(Status=plan.cluster.managed_scaling,
                                                  TargetCapacity=plan.cluster.target_capacity),
                ManagedTerminationProtection=plan.cluster.managed_termination_protection,
            ),
            Tags=_tags(plan),
        )
    )
    t.add_resource(
        ecs.ClusterCapacityProviderAssociations(
            "ClusterCapacityProviders",
            Cluster=Ref("Cluster"),
            CapacityProviders=[Ref("CapacityProvider")],
            DefaultCapacityProviderStrategy=[
                ecs.CapacityProviderStrategy(CapacityProvider=Ref("CapacityProvider"), Weight=1)
            ],
        )
    )


def _bootstrap(t: Template, plan: Plan) -> None:
    boot = plan.bootstrap
    t.add_resource(
        ssm.Document(
            "HostBootstrapDocument",
            Name=boot.document_name,
            DocumentType=boot.document_type,
            DocumentFormat=boot.document_format,
            UpdateMethod="NewVersion",
            Content=cfn(boot.content),
            Tags=_tags(plan),
        )
    )
    t.add_resource(
        ssm.Association(
            "HostBootstrapAssociation",
            AssociationName=boot.association_name,
            Name=Ref("HostBootstrapDocument"),
            Targets=[ssm.Targets(Key=f"tag:{boot.target_key}", Values=[boot.target_value])],
            ScheduleExpression=boot.schedule,
            Parameters={name: [cfn(value)] for name, value in boot.parameters.items()},
        )
    )


def _specs(t: Template, plan: Plan) -> None:
    bucket = plan.bucket
    if bucket is not None and bucket.create:
        encryption = s3.ServerSideEncryptionByDefault(SSEAlgorithm=bucket.sse_algorithm)
        if bucket.kms_key_arn:
            encryption.KMSMasterKeyID = bucket.kms_key_arn
        t.add_resource(
            s3.Bucket(
                bucket.logical_id,
                **_kept(bucket.retain),
                Metadata=_waived(bucket.waivers),
                BucketName=cfn(bucket.name),
                BucketEncryption=s3.BucketEncryption(
                    ServerSideEncryptionConfiguration=[
                        s3.ServerSideEncryptionRule(ServerSideEncryptionByDefault=encryption,
                                                    BucketKeyEnabled=bucket.bucket_key_enabled)
                    ]
                ),
                VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
                PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
                    BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True
                ),
                OwnershipControls=s3.OwnershipControls(Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]),
                Tags=_tags(plan),
            )
        )
        t.add_resource(
            s3.BucketPolicy(f"{bucket.logical_id}Policy", Bucket=Ref(bucket.logical_id), PolicyDocument=_policy(bucket.policy))
        )
    for spec in plan.stack_specs:
        if spec.store == "ssm":
            _spec_parameter(t, plan, spec)


def _spec_parameter(t: Template, plan: Plan, spec: SpecPlan) -> None:
    t.add_resource(
        ssm.Parameter(
            spec.logical_id,
            Metadata=_waived(spec.parameter_waivers),
            Name=spec.parameter_name,
            Type=SPEC_PARAMETER_TYPE,
            Tier=SPEC_PARAMETER_TIER,
            DataType="text",
            Description=spec.description,
            Value=spec.text,
            Tags={t_.key: t_.value for t_ in plan.tags},
        )
    )


def _service(t: Template, plan: Plan, service: ServicePlan) -> None:
    t.add_resource(
        logs.LogGroup(f"{service.logical_id}LogGroup", Metadata=_waived(service.log_group_waivers),
                      **_kept(service.retain_logs),
                      LogGroupName=service.log_group,
                      RetentionInDays=plan.log_retention_days, Tags=_tags(plan))
    )
    if service.task_role is not None:
        _role(t, plan, service.task_role)
    container = ecs.ContainerDefinition.from_dict(service.logical_id, _pascal_keys(cfn(service.container)))
    task: dict[str, Any] = {
        "Family": service.family,
        "RequiresCompatibilities": list(service.compatibilities),
        "ExecutionRoleArn": GetAtt(plan.execution_role.logical_id, "Arn"),
        "RuntimePlatform": RuntimePlatform(
            OperatingSystemFamily=plan.hosts.os_family, CpuArchitecture=plan.hosts.cpu_architecture
        ),
        "ContainerDefinitions": [container],
        "Tags": _tags(plan),
    }
    if service.task_role is not None:
        task["TaskRoleArn"] = GetAtt(service.task_role.logical_id, "Arn")
    t.add_resource(
        ecs.TaskDefinition(
            f"{service.logical_id}TaskDefinition",
            DependsOn=[f"{service.logical_id}LogGroup"],
            Metadata=_waived(service.task_definition_waivers),
            **task,
        )
    )
    t.add_resource(
        ecs.Service(
            f"{service.logical_id}Service",
            DependsOn=["ClusterCapacityProviders"],
            ServiceName=service.name,
            Cluster=Ref("Cluster"),
            TaskDefinition=Ref(f"{service.logical_id}TaskDefinition"),
            DesiredCount=service.desired_count,
            CapacityProviderStrategy=[ecs.CapacityProviderStrategyItem(CapacityProvider=Ref("CapacityProvider"), Weight=1)],
            DeploymentConfiguration=ecs.DeploymentConfiguration(
                MinimumHealthyPercent=service.minimum_healthy_percent,
                MaximumPercent=service.maximum_percent,
                DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(
                    Enable=service.circuit_breaker, Rollback=service.circuit_breaker
                ),
            ),
            PlacementStrategies=[ecs.PlacementStrategy(Type=kind, Field=field) for kind, field in service.placement],
            EnableECSManagedTags=service.ecs_managed_tags,
            PropagateTags=service.propagate_tags,
            Tags=_tags(plan),
        )
    )


def build_template(plan: Plan) -> Template:
    """The troposphere template of ``plan``."""
    t = Template(Description=f"gMSA-enabled Windows containers on Amazon ECS: {plan.name} (generated by gen from {plan.source})")
    t.set_version("2010-09-09")
    _directory(t, plan)
    _hosts(t, plan)
    _cluster(t, plan)
    _bootstrap(t, plan)
    _specs(t, plan)
    _role(t, plan, plan.execution_role)
    for service in plan.services:
        _service(t, plan, service)
    for output in plan.outputs:
        t.add_output(Output(output.name, Description=output.description, Value=cfn(output.value)))
    return t


def render_template(plan: Plan, fmt: str = "yaml") -> tuple[str, str]:
    """``(file name, text)`` of the template in ``yaml`` (with a header) or ``json``."""
    template = build_template(plan)
    if fmt == "json":
        return "template.json", json.dumps(template.to_dict(), indent=2, sort_keys=True) + "\n"
    return "template.yaml", header(plan.source) + template.to_yaml(clean_up=True)
