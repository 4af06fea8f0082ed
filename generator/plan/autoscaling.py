"""Application Auto Scaling of the services' task counts: a scalable target and a target
tracking policy on CPU per autoscaled service.

The scalable target's ``ResourceId`` is ``service/<cluster>/<service>`` and its dimension
``ecs:service:DesiredCount`` (CloudFormation guide, ``AWS::ApplicationAutoScaling::ScalableTarget``);
no role is given, so Application Auto Scaling uses its service-linked role
``AWSServiceRoleForApplicationAutoScaling_ECSService`` (botocore ``RegisterScalableTarget.RoleARN``:
"If the service supports service-linked roles, Application Auto Scaling uses a service-linked
role, which it creates if it does not yet exist"). A deploy must never reset the count scaling
chose: CloudFormation leaves ``DesiredCount`` out ("For existing services, if a desired count is
not specified, it is omitted from the operation"), Terraform ignores changes to it (provider
docs, ``ecs_service``, "Ignoring Changes to Desired Count"). The hosts follow: the cluster's
capacity provider has ECS managed scaling, which launches hosts for tasks that do not fit.
"""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.model import Blueprint, Service
from generator.naming import logical_id


class ScalingPlan(NamedTuple):
    service: str
    logical_id: str  # of the scalable target; the policy is <service>ScalingPolicy
    tf_key: str
    resource_id: str
    min_capacity: int
    max_capacity: int
    policy_name: str
    target_value: int
    metric: str = "ECSServiceAverageCPUUtilization"
    service_namespace: str = "ecs"
    scalable_dimension: str = "ecs:service:DesiredCount"
    #: gen's choice: add tasks a minute after the last scale-out, remove them only five minutes
    #: after the last scaling activity, so a brief dip does not stop tasks a Windows host took
    #: minutes to start.
    scale_out_cooldown: int = 60
    scale_in_cooldown: int = 300

    @property
    def policy_logical_id(self) -> str:
        return logical_id(self.service, "ScalingPolicy")


def plan_scaling(bp: Blueprint, service: Service, cluster_name: str) -> ScalingPlan | None:
    scaling = service.autoscaling
    if scaling is None:
        return None
    return ScalingPlan(
        service=service.name,
        logical_id=logical_id(service.name, "ScalableTarget"),
        tf_key=service.name,
        resource_id=f"service/{cluster_name}/{service.name}",
        min_capacity=scaling.min,
        max_capacity=scaling.max,
        policy_name=f"{bp.name}-{service.name}-cpu",
        target_value=scaling.cpu_target,
    )
