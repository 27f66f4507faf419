"""Readings files imported in the background: the upload stores the file and queues a task; the worker records the
readings chunk by chunk and writes its progress on the import's row, which the upload's page polls."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from billing.models import ReadingsImport
from billing.readings import parse_csv, record_readings

Status = ReadingsImport.Status


def start_import(user: User, filename: str, data: bytes) -> ReadingsImport:
    """Store an uploaded readings file and queue its import once the row is committed."""
    from billing.tasks import import_readings_task  # the tasks module imports the services

    upload = ReadingsImport.objects.create(uploaded_by=user, filename=filename[:255], data=data)
    transaction.on_commit(lambda: import_readings_task.delay(upload.pk))
    return upload


def _progress(import_id: int, done: int) -> None:
    ReadingsImport.objects.filter(pk=import_id).update(done=done)


def run_import(import_id: int) -> None:
    """Import a stored file once: a second delivery of the task finds it claimed and returns. A crash marks the
    import failed (and reaches the logs) so its page stops waiting."""
    if not ReadingsImport.objects.filter(pk=import_id, status=Status.QUEUED).update(status=Status.RUNNING):
        return
    upload = ReadingsImport.objects.get(pk=import_id)
    try:
        inputs, errors = parse_csv(bytes(upload.data))
        ReadingsImport.objects.filter(pk=import_id).update(rows=len(inputs))
        result = record_readings(inputs, progress=lambda done: _progress(import_id, done))
    except Exception:
        ReadingsImport.objects.filter(pk=import_id).update(status=Status.FAILED, finished_at=timezone.now())
        raise
    refused = sorted(errors + result.errors)
    with transaction.atomic():
        ReadingsImport.objects.filter(pk=import_id).update(
            status=Status.DONE,
            done=len(inputs),
            finished_at=timezone.now(),
            result={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "flagged": result.flagged,
                "recomputed": result.recomputed,
                "warned": result.warned,
            },
            errors=[list(error) for error in refused],
        )
        audit.record(
            upload.uploaded_by,
            "billing.import_readings",
            summary=f"{upload.filename}: {result.imported} imported, {len(refused)} refused",
            changes={"created": (None, result.created), "updated": (None, result.updated)},
        )
