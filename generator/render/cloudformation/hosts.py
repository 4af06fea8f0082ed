"""CloudFormation of the container hosts and their cluster: the AMI parameter, the instance
profile, security group, launch template, Auto Scaling group, the ECS cluster and its capacity
provider."""

from __future__ import annotations

from troposphere import GetAtt, Parameter, Ref, Template, autoscaling, ec2, ecs, iam

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
    t.add_parameter(
        Parameter(
            HOST_IMAGE_PARAMETER,
            Type="AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            Default=hosts.ami_parameter,
            Description="SSM parameter with the ECS-optimized Windows AMI of the hosts",
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
                ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=r.port, ToPort=r.port, CidrIp=r.cidr, Description=r.description)
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


def add_cluster(t: Template, plan: Plan) -> None:
    t.add_resource(
        ecs.Cluster(
            "Cluster",
            ClusterName=plan.cluster.name,
            ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value=plan.cluster.container_insights)],
            Tags=tags(plan),
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
