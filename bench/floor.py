"""The floor of bench/render.py: a bare troposphere script that builds the CloudFormation
resources gen builds for tests/scale.py's blueprint of N services (hosts, cluster, roles, specs,
and per service a log group, task definition, service and every fifth a task role) in one
template, troposphere's limit of 500 resources lifted, and writes it with ``to_json()``.

    python bench/floor.py SERVICES OUT.json
"""

from __future__ import annotations

import sys

import troposphere
from troposphere import GetAtt, Ref, Sub, Template, autoscaling, ec2, ecs, iam, logs, ssm


def build(services: int) -> Template:
    troposphere.MAX_RESOURCES = 10**6
    t = Template(Description="floor")
    role = {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["ecs-tasks.amazonaws.com"]}}]}}
    t.add_resource(iam.Role("HostRole", RoleName="scale-host", **role))
    t.add_resource(iam.InstanceProfile("HostInstanceProfile", Roles=[Ref("HostRole")]))
    t.add_resource(iam.Role("TaskExecutionRole", RoleName="scale-task-execution", **role, Policies=[iam.Policy(
        PolicyName="specs", PolicyDocument={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
            "ssm:GetParameters"], "Resource": [Sub(f"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:"
                                                   f"parameter/scale/credentialspecs/Scale{a:02d}") for a in range(10)]}]})]))
    for a in range(10):
        t.add_resource(ssm.Parameter(f"Scale{a:02d}CredentialSpec", Name=f"/scale/credentialspecs/Scale{a:02d}",
                                     Type="String", Value='{"CmsPlugins": ["ActiveDirectory"]}'))
    t.add_resource(ec2.SecurityGroup("HostSecurityGroup", GroupDescription="hosts", VpcId="vpc-0e4f1a7c9b2d35168",
                                     SecurityGroupIngress=[ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=8000,
                                                                                 ToPort=8000 + services, CidrIp=c)
                                                           for c in ("10.0.0.0/8", "192.168.0.0/16")]))
    t.add_resource(ec2.LaunchTemplate("HostLaunchTemplate", LaunchTemplateData=ec2.LaunchTemplateData(
        ImageId="ami-0123", InstanceType="m5.24xlarge", SecurityGroupIds=[GetAtt("HostSecurityGroup", "GroupId")])))
    t.add_resource(autoscaling.AutoScalingGroup("HostAutoScalingGroup", MinSize="2", MaxSize="100",
                                                VPCZoneIdentifier=["subnet-07c3e9a1f5b2d4860"],
                                                LaunchTemplate=autoscaling.LaunchTemplateSpecification(
                                                    LaunchTemplateId=Ref("HostLaunchTemplate"), Version="1")))
    t.add_resource(ecs.Cluster("Cluster", ClusterName="scale"))
    for i in range(services):
        name = f"svc{i:04d}"
        t.add_resource(logs.LogGroup(f"Svc{i:04d}LogGroup", LogGroupName=f"/ecs/scale/{name}", RetentionInDays=365))
        task_role = i % 5 == 4
        if task_role:
            t.add_resource(iam.Role(f"Svc{i:04d}TaskRole", RoleName=f"scale-{name}-task", **role,
                                    ManagedPolicyArns=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]))
        container = ecs.ContainerDefinition(
            Name=name, Image="mcr.microsoft.com/dotnet/framework/aspnet:4.8", Cpu=256, Memory=512, Essential=True,
            PortMappings=[ecs.PortMapping(ContainerPort=8000 + i, HostPort=8000 + i, Protocol="tcp")],
            CredentialSpecs=[Sub("credentialspec:arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:"
                                 f"parameter/scale/credentialspecs/Scale{i % 10:02d}")],
            Environment=[ecs.Environment(Name="APP_NAME", Value=name), ecs.Environment(Name="LOG_LEVEL", Value="info")],
            Secrets=[ecs.Secret(Name="DB_CONNECTION", ValueFrom="arn:aws:secretsmanager:us-east-1:210987654321:secret:"
                                f"scale/db-{i % 20:02d}-AbCdEf")],
            LogConfiguration=ecs.LogConfiguration(LogDriver="awslogs", Options={
                "awslogs-group": f"/ecs/scale/{name}", "awslogs-region": "us-east-1", "awslogs-stream-prefix": name}))
        t.add_resource(ecs.TaskDefinition(
            f"Svc{i:04d}TaskDefinition", Family=f"scale-{name}", RequiresCompatibilities=["EC2"],
            ExecutionRoleArn=GetAtt("TaskExecutionRole", "Arn"), ContainerDefinitions=[container],
            **({"TaskRoleArn": GetAtt(f"Svc{i:04d}TaskRole", "Arn"), "NetworkMode": "awsvpc"} if task_role else {}),
            PlacementConstraints=[ecs.PlacementConstraint(Type="memberOf",
                                                          Expression="attribute:ecs.capability.gmsa exists")]))
        t.add_resource(ecs.Service(
            f"Svc{i:04d}Service", ServiceName=name, Cluster=Ref("Cluster"), DesiredCount=1,
            TaskDefinition=Ref(f"Svc{i:04d}TaskDefinition"),
            DeploymentConfiguration=ecs.DeploymentConfiguration(MinimumHealthyPercent=0, MaximumPercent=100),
            PlacementStrategies=[ecs.PlacementStrategy(Type="spread", Field="instanceId")]))
    return t


if __name__ == "__main__":
    count, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "w") as handle:
        handle.write(build(count).to_json())
