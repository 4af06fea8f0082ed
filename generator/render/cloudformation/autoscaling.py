"""CloudFormation of the services' autoscaling: a scalable target and a target tracking policy
per autoscaled service."""

from __future__ import annotations

from troposphere import Ref, Template
from troposphere import applicationautoscaling as aas

from generator.plan import Plan
from generator.plan.services import ServicePlan


def add_autoscaling(t: Template, plan: Plan) -> None:
    for service in plan.scaled_services:
        add_service_scaling(t, service)


def add_service_scaling(t: Template, service: ServicePlan) -> None:
    """The scalable target and target-tracking policy of one service, if it scales."""
    scaling = service.scaling
    if scaling is not None:
        t.add_resource(
            aas.ScalableTarget(
                scaling.logical_id,
                # The service must exist before its count can be scaled.
                DependsOn=[f"{service.logical_id}Service"],
                ServiceNamespace=scaling.service_namespace,
                ScalableDimension=scaling.scalable_dimension,
                ResourceId=scaling.resource_id,
                MinCapacity=scaling.min_capacity,
                MaxCapacity=scaling.max_capacity,
            )
        )
        t.add_resource(
            aas.ScalingPolicy(
                scaling.policy_logical_id,
                PolicyName=scaling.policy_name,
                PolicyType="TargetTrackingScaling",
                ScalingTargetId=Ref(scaling.logical_id),
                TargetTrackingScalingPolicyConfiguration=aas.TargetTrackingScalingPolicyConfiguration(
                    TargetValue=float(scaling.target_value),
                    PredefinedMetricSpecification=aas.PredefinedMetricSpecification(
                        PredefinedMetricType=scaling.metric),
                    ScaleInCooldown=scaling.scale_in_cooldown,
                    ScaleOutCooldown=scaling.scale_out_cooldown,
                ),
            )
        )
