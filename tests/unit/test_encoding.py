"""conventional_dict is in_conventional_order(template.to_dict()) in one pass: the same data, in
the same order and of the same types, on every stack of every renderable blueprint and on the
kinds of values a template can hold; the same errors; and the old way for what is not plain."""

from __future__ import annotations

import enum
from typing import Any

import pytest
from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import (
    Equals, GetAtt, If, Join, Output, Parameter, Ref, Select, Split, Sub, Tag, Tags, Template, ec2, ecs, iam, logs,
)

from generator.render.cloudformation.encoding import conventional_dict, in_conventional_order
from generator.render.cloudformation.template import build_templates, split_templates
from tests.conftest import RENDERABLE, Deployment, ids, plan_of


def _exactly(value: Any) -> Any:
    """``value`` with the order of its keys and the type of each value made part of it."""
    if isinstance(value, dict):
        return (type(value), [(_exactly(k), _exactly(v)) for k, v in value.items()])
    if isinstance(value, list):
        return (type(value), [_exactly(v) for v in value])
    return (type(value), value)


def _the_old_way(template: Template) -> Any:
    return _exactly(in_conventional_order(template.to_dict()))


@pytest.mark.parametrize("deployment", RENDERABLE, ids=ids(RENDERABLE))
def test_conventional_dict_is_the_old_way_on_every_stack(deployment: Deployment) -> None:
    plan = plan_of(deployment)
    templates = {**build_templates(plan), **{f"split-{k}": t for k, t in split_templates(plan).items()}}
    for stem, template in templates.items():
        assert _exactly(conventional_dict(template)) == _the_old_way(template), stem


def _kinds() -> Template:
    t = Template(Description="kinds")
    t.set_version()
    t.set_metadata({"Key": ("a", "tuple"), "B": {"z": 1, "a": [2.5, None, True]}})
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
        Name="c", Image=Join(":", ["i", GetAtt("Role", "Arn")]), PortMappings=[ecs.PortMapping(ContainerPort=80)],
        DockerLabels={}, Environment=[])]))
    t.add_output(Output("Out", Value=GetAtt("Group", "GroupId")))
    return t


def test_conventional_dict_is_the_old_way_on_every_kind_of_value() -> None:
    template = _kinds()
    assert _exactly(conventional_dict(template)) == _the_old_way(template)


class _Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize("odd", [{1: "an int key"}, {"a": 1, 2: "mixed keys"}, {"e": _Level.HIGH}, {"s": enum.Enum}],
                         ids=["int key", "mixed keys", "int enum", "a class"])
def test_what_is_not_plain_goes_the_old_way(odd: dict[Any, Any]) -> None:
    template = _kinds()
    template.set_metadata(odd)
    try:
        expected = _the_old_way(template)
    except TypeError:  # JSON refuses it
        with pytest.raises(TypeError):
            conventional_dict(template)
    else:
        assert _exactly(conventional_dict(template)) == expected


def test_conventional_dict_validates_as_to_dict_does() -> None:
    t = Template()
    t.add_resource(ecs.TaskDefinition("Task", ContainerDefinitions=[ecs.ContainerDefinition(Name="no image")]))
    with pytest.raises(ValueError) as theirs:
        t.to_dict()
    with pytest.raises(ValueError) as ours:
        conventional_dict(t)
    assert str(ours.value) == str(theirs.value)
