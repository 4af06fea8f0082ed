"""template_dict is troposphere's Template.to_dict, in one pass: the same dict on every stack of
every renderable blueprint and on the kinds of values a template can hold, and the same errors."""

from __future__ import annotations

import pytest
from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import (
    Equals, GetAtt, If, Join, Output, Parameter, Ref, Select, Split, Sub, Tag, Tags, Template, ec2, ecs, iam, logs,
)

from generator.render.cloudformation.encoding import template_dict
from generator.render.cloudformation.template import build_templates, split_templates
from tests.conftest import RENDERABLE, Deployment, ids, plan_of


@pytest.mark.parametrize("deployment", RENDERABLE, ids=ids(RENDERABLE))
def test_template_dict_is_to_dict_on_every_stack(deployment: Deployment) -> None:
    plan = plan_of(deployment)
    templates = {**build_templates(plan), **{f"split-{k}": t for k, t in split_templates(plan).items()}}
    for stem, template in templates.items():
        assert template_dict(template) == template.to_dict(), stem


def test_template_dict_is_to_dict_on_every_kind_of_value() -> None:
    t = Template(Description="kinds")
    t.set_version()
    t.set_metadata({"Key": ("a", "tuple")})
    t.add_parameter(Parameter("Size", Type="Number", Default=3))
    t.add_condition("Big", Equals(Ref("Size"), 3))
    t.add_mapping("Map", {"us-east-1": {"Ami": "ami-1"}})
    t.add_resource(logs.LogGroup("Logs", Condition="Big", RetentionInDays=If("Big", 7, Ref("AWS::NoValue")),
                                 Tags=Tags({"b": "2", "a": Sub("${AWS::Region}")}) + Tags(Tag("c", "3"))))
    t.add_resource(iam.Role("Role", AssumeRolePolicyDocument=PolicyDocument(Version="2012-10-17", Statement=[
        Statement(Effect=Allow, Action=[AssumeRole], Principal=Principal("Service", ["ecs-tasks.amazonaws.com"]))])))
    t.add_resource(ec2.SecurityGroup("Group", GroupDescription="g", SecurityGroupIngress=[
        ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=1, ToPort=2, CidrIp=Select(0, Split(",", "a,b")))]))
    t.add_resource(ecs.Cluster("Empty"))  # a resource without properties
    t.add_resource(ecs.TaskDefinition("Task", DependsOn=["Logs"], ContainerDefinitions=[ecs.ContainerDefinition(
        Name="c", Image=Join(":", ["i", GetAtt("Role", "Arn")]), PortMappings=[ecs.PortMapping(ContainerPort=80)])]))
    t.add_output(Output("Out", Value=GetAtt("Group", "GroupId")))
    assert template_dict(t) == t.to_dict()


def test_template_dict_validates_as_to_dict_does() -> None:
    t = Template()
    t.add_resource(ecs.TaskDefinition("Task", ContainerDefinitions=[ecs.ContainerDefinition(Name="no image")]))
    with pytest.raises(ValueError) as theirs:
        t.to_dict()
    with pytest.raises(ValueError) as ours:
        template_dict(t)
    assert str(ours.value) == str(theirs.value)
