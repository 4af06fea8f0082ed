"""CloudFormation of the host bootstrap: the SSM Command document and its association."""

from __future__ import annotations

from troposphere import Ref, Template, ssm

from generator.plan import Plan
from generator.render.cloudformation.values import cfn, tags


def add_bootstrap(t: Template, plan: Plan) -> None:
    boot = plan.bootstrap
    if boot is None or boot.content is None or boot.parameters is None:
        return  # Fargate, or Linux hosts (prepared by their user data)
    t.add_resource(
        ssm.Document(
            "HostBootstrapDocument",
            Name=boot.document_name,
            DocumentType=boot.document_type,
            DocumentFormat=boot.document_format,
            UpdateMethod="NewVersion",
            Content=cfn(boot.content),
            Tags=tags(plan),
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
