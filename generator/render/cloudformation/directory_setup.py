"""CloudFormation of the directory setup: the join account's secret, the setup instance and its
role, and the SSM document and association the stack waits for."""

from __future__ import annotations

from troposphere import (
    Base64,
    GetAtt,
    Parameter,
    Ref,
    Template,
    ec2,
    iam,
    secretsmanager,
    ssm,
)

from generator import expr
from generator.plan import Plan
from generator.render.cloudformation.iam import add_role
from generator.render.cloudformation.values import (
    SETUP_ASSOCIATION,
    SETUP_IMAGE_PARAMETER,
    SETUP_INSTANCE,
    cfn,
    kept,
    ref_name,
    tags,
    waived,
)


def add_directory_setup(t: Template, plan: Plan) -> None:
    setup = plan.directory_setup
    if not setup.managed:
        return
    assert setup.instance is not None and setup.content is not None and setup.parameters is not None
    assert plan.setup_role is not None
    instance = setup.instance
    secret = setup.principal_secret
    if secret is not None:
        t.add_resource(
            secretsmanager.Secret(
                ref_name(secret.arn),  # type: ignore[arg-type]
                **kept(secret.retain),
                Metadata=waived(secret.waivers),
                Description=f"The {secret.purpose} (generated; the directory setup sets it in AD)",
                GenerateSecretString=secretsmanager.GenerateSecretString(
                    SecretStringTemplate=secret.template, GenerateStringKey="password",
                    PasswordLength=secret.password_length, ExcludeCharacters=secret.exclude_characters,
                ),
                Tags=tags(plan),
            )
        )
    t.add_parameter(
        Parameter(
            SETUP_IMAGE_PARAMETER,
            Type="AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            Default=instance.ami_parameter,
            Description="SSM parameter with the Windows Server AMI of the directory setup instance",
        )
    )
    add_role(t, plan, plan.setup_role)
    t.add_resource(
        iam.InstanceProfile("DirectorySetupInstanceProfile", InstanceProfileName=instance.instance_profile_name,
                            Roles=[Ref(plan.setup_role.logical_id)])
    )
    t.add_resource(
        ec2.SecurityGroup(
            "DirectorySetupSecurityGroup",
            Metadata=waived(instance.security_group_waivers),
            GroupName=instance.name,
            GroupDescription=instance.description,
            VpcId=instance.vpc_id,
            SecurityGroupEgress=[ec2.SecurityGroupRule(IpProtocol="-1", CidrIp="0.0.0.0/0",
                                                       Description=instance.egress_description)],
            Tags=tags(plan),
        )
    )
    t.add_resource(
        ec2.Instance(
            SETUP_INSTANCE,
            ImageId=cfn(expr.SETUP_IMAGE_ID),
            InstanceType=instance.instance_type,
            IamInstanceProfile=Ref("DirectorySetupInstanceProfile"),
            InstanceInitiatedShutdownBehavior=instance.shutdown_behavior,
            EbsOptimized=True,
            Monitoring=True,
            MetadataOptions=ec2.MetadataOptions(HttpEndpoint="enabled", HttpTokens=instance.http_tokens,
                                                HttpPutResponseHopLimit=1),
            BlockDeviceMappings=[
                ec2.BlockDeviceMapping(
                    DeviceName="/dev/sda1",
                    Ebs=ec2.EbsBlockDevice(VolumeSize=instance.root_volume_gib, VolumeType="gp3", Encrypted=True,
                                           DeleteOnTermination=True),
                )
            ],
            UserData=Base64(instance.user_data),
            SubnetId=instance.subnet_id,
            SecurityGroupIds=[GetAtt("DirectorySetupSecurityGroup", "GroupId")],
            Tags=tags(plan, Name=instance.name),
        )
    )
    t.add_resource(
        ssm.Document(
            "DirectorySetupDocument",
            Name=setup.document_name,
            DocumentType="Command",
            DocumentFormat="JSON",
            UpdateMethod="NewVersion",
            Content=cfn(setup.content),
            Tags=tags(plan),
        )
    )
    t.add_resource(
        ssm.Association(
            SETUP_ASSOCIATION,
            AssociationName=setup.association_name,
            Name=Ref("DirectorySetupDocument"),
            Targets=[ssm.Targets(Key="InstanceIds", Values=[cfn(setup.target_instance)])],
            Parameters={name: [cfn(value)] for name, value in setup.parameters.items()},
            WaitForSuccessTimeoutSeconds=setup.wait_seconds,
        )
    )
