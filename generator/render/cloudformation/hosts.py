"""CloudFormation of the container hosts and their cluster: the AMI parameter, the instance
profile, security group, launch template, Auto Scaling group, the ECS cluster and its capacity
provider."""

from __future__ import annotations

from typing import Any

from troposphere import Base64, GetAtt, Parameter, Ref, Template, autoscaling, ec2, ecs, iam

from generator import expr
from generator.plan import Plan
from generator.render.cloudformation.iam import add_role
from generator.render.cloudformation.values import (
    HOST_IMAGE_PARAMETER,
    SETUP_ASSOCIATION,
    cfn,
    tags,
    waived,
)


def add_hosts(t: Template, plan: Plan) -> None:
    hosts = plan.hosts
    if hosts is None or plan.host_role is None:
        return  # Fargate
    t.add_parameter(
        Parameter(
            HOST_IMAGE_PARAMETER,
            Type="AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            Default=hosts.ami_parameter,
            Description=f"SSM parameter with the ECS-optimized {hosts.platform.capitalize()} AMI of the hosts",
        )
    )
    add_role(t, plan, plan.host_role)
    t.add_resource(
        iam.InstanceProfile("HostInstanceProfile", InstanceProfileName=hosts.instance_profile_name,
                            Roles=[Ref(plan.host_role.logical_id)])
    )
    t.add_resource(
        ec2.SecurityGroup(
            "HostSecurityGroup",
            Metadata=waived(hosts.security_group_waivers),
            GroupName=hosts.name,
            GroupDescription=hosts.description,
            VpcId=hosts.vpc_id,
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=r.from_port, ToPort=r.to_port, CidrIp=r.cidr, Description=r.description)
                for r in hosts.ingress
            ],
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(IpProtocol="-1", CidrIp="0.0.0.0/0", Description=hosts.egress_description)
            ],
            Tags=tags(plan),
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
                **user_data(plan),
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
    # The group depends on the cluster, so the stack deletes the hosts before the cluster they are
    # registered in, and on the directory setup, whose group and join account the hosts need.
    # No DesiredCapacity: ECS managed scaling owns it (a template value would reset it on update).
    depends_on = ["Cluster"] + ([SETUP_ASSOCIATION] if hosts.waits_for_directory_setup else [])
    t.add_resource(
        autoscaling.AutoScalingGroup(
            "HostAutoScalingGroup",
            DependsOn=depends_on,
            AutoScalingGroupName=hosts.name,
            MinSize=str(hosts.min_size),
            MaxSize=str(hosts.max_size),
            VPCZoneIdentifier=list(hosts.subnet_ids),
            LaunchTemplate=autoscaling.LaunchTemplateSpecification(
                LaunchTemplateId=Ref("HostLaunchTemplate"), Version=GetAtt("HostLaunchTemplate", "LatestVersionNumber")
            ),
            NewInstancesProtectedFromScaleIn=False,
            Tags=autoscaling.Tags(**{tag.key: tag.value for tag in hosts.propagated_tags}),
        )
    )


def user_data(plan: Plan) -> dict[str, Any]:
    """The launch template's user data: Linux hosts are prepared by it (Windows hosts by SSM)."""
    boot = plan.bootstrap
    return {"UserData": Base64(cfn(boot.user_data))} if boot is not None and boot.user_data is not None else {}


def add_cluster(t: Template, plan: Plan) -> None:
    t.add_resource(
        ecs.Cluster(
            "Cluster",
            ClusterName=plan.cluster.name,
            ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value=plan.cluster.container_insights)],
            Tags=tags(plan),
        )
    )
    if plan.cluster.fargate:
        t.add_resource(
            ecs.ClusterCapacityProviderAssociations(
                "ClusterCapacityProviders",
                Cluster=Ref("Cluster"),
                CapacityProviders=[plan.cluster.capacity_provider],
                DefaultCapacityProviderStrategy=[
                    ecs.CapacityProviderStrategy(CapacityProvider=plan.cluster.capacity_provider, Weight=1)
                ],
            )
        )
        return
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
            Tags=tags(plan),
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
