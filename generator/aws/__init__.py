"""The commands that call AWS: ``publish``, ``discover`` and ``doctor``, over one boto3 session
(:mod:`generator.aws.session`). boto3 is imported in this package only, and this package only
by the commands that use it."""
