"""Talking to AWS: sessions, clients, and one clear line for every way a call can fail.

boto3 is imported here only, and this package only by the commands that call AWS
(``publish``, ``discover``, ``doctor``), so the rest of gen starts without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.exceptions as botocore_errors
from botocore.config import Config
from botocore.parsers import ResponseParserError

from generator.errors import AwsError

#: botocore's standard retry mode (exponential backoff with jitter, throttling aware), bounded to
#: this many calls in all (botocore's ``max_attempts`` would count retries only).
MAX_ATTEMPTS = 4
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS}, connect_timeout=5, read_timeout=30)

#: AwsError.code of an answer that is not an AWS response at all.
UNPARSABLE = "UnparsableResponse"
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError"}
_THROTTLED = {"Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
              "SlowDown", "RequestThrottled", "RequestThrottledException"}
_BAD_CREDENTIALS = {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidAccessKeyId"}


@dataclass(frozen=True)
class Target:
    """Where the commands send their calls: the standard credential chain, plus these options."""

    profile: str | None
    region: str | None
    endpoint_url: str | None


class Aws:
    """Clients of one session, created on first use, all failing through :func:`translated`."""

    def __init__(self, target: Target, default_region: str | None):
        """``--region`` wins, then ``default_region`` (a blueprint's), then the profile's."""
        self.target = target
        with translated("create an AWS session"):
            self.session = boto3.Session(profile_name=target.profile, region_name=target.region or default_region)
        if self.session.region_name is None:
            raise AwsError("no AWS region: pass --region, or set one in the profile (AWS_REGION)")
        self.region: str = self.session.region_name
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, endpoint_url=self.target.endpoint_url, config=CONFIG)
        return self._clients[service]

    def call(self, service: str, operation: str, resource: str = "", **kwargs: Any) -> Any:
        """``client(service).<operation>(**kwargs)``; errors become one :class:`AwsError` line."""
        client = self.client(service)
        action = f"{client.meta.service_model.signing_name}:{_pascal(operation)}"
        with translated(action, resource, self.target.endpoint_url):
            return getattr(client, operation)(**kwargs)

    def account_id(self) -> str:
        return self.call("sts", "get_caller_identity")["Account"]


def _pascal(operation: str) -> str:
    return "".join(part.capitalize() for part in operation.split("_"))


def error_code(exc: BaseException) -> str:
    """The AWS error code of a ClientError ('' for other errors)."""
    if isinstance(exc, botocore_errors.ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def missing_is_none(aws: Aws, service: str, operation: str, resource: str, codes: tuple[str, ...], **kwargs: Any) -> Any:
    """``aws.call(...)``, or None when AWS answers that the resource does not exist."""
    try:
        return aws.call(service, operation, resource, **kwargs)
    except AwsError as exc:
        if exc.code in codes:
            return None
        raise


@contextmanager
def translated(action: str, resource: str = "", endpoint: str | None = None) -> Iterator[None]:
    """Turn botocore's failures into :class:`AwsError` s that say what happened and what to do."""
    on = f" on {resource}" if resource else ""
    try:
        yield
    except botocore_errors.ProfileNotFound as exc:
        raise AwsError(f"{exc}; list profiles with `aws configure list-profiles`") from None
    except (botocore_errors.NoCredentialsError, botocore_errors.PartialCredentialsError):
        raise AwsError("no AWS credentials found; set AWS_PROFILE or pass --profile, or sign in (aws sso login)") from None
    except botocore_errors.TokenRetrievalError as exc:
        raise AwsError(f"could not refresh the AWS session ({exc}); sign in again (aws sso login)") from None
    except (botocore_errors.EndpointConnectionError, botocore_errors.ConnectTimeoutError) as exc:
        where = endpoint or getattr(exc, "kwargs", {}).get("endpoint_url", "the AWS endpoint")
        raise AwsError(f"could not reach {where} for {action}; check the network, --region and --endpoint-url") from None
    except botocore_errors.ReadTimeoutError:
        raise AwsError(f"{action}{on}: the endpoint did not answer in time; try again") from None
    except botocore_errors.ClientError as exc:
        code = error_code(exc)
        message = exc.response.get("Error", {}).get("Message", "")
        if code == "403" or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403 and code not in _EXPIRED:
            code = code if code in _DENIED | _BAD_CREDENTIALS else "AccessDenied"
        if code in _EXPIRED:
            text = f"the AWS credentials have expired ({action}); refresh them (aws sso login) and retry"
        elif code in _BAD_CREDENTIALS:
            text = f"AWS rejected the credentials ({code}) for {action}; check the profile or keys in use"
        elif code in _DENIED:
            text = f"access denied: {action}{on}; allow {action} on that resource to the caller"
        elif code in _THROTTLED:
            text = f"AWS kept throttling {action}{on} after {MAX_ATTEMPTS} attempts; try again later"
        else:
            text = f"{action}{on} failed: {code}: {message}".rstrip(": ")
        raise AwsError(text, code) from None
    except ResponseParserError:
        # An endpoint that does not speak the AWS protocol for this call (e.g. an HTTP 500 page
        # from an emulator that lacks the operation).
        raise AwsError(f"{action}{on} failed: the endpoint's answer is not an AWS response", UNPARSABLE) from None
    except botocore_errors.BotoCoreError as exc:
        raise AwsError(f"{action}{on} failed: {exc}") from None
