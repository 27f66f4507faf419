"""Static files as production serves them: WhiteNoise's compressed, hashed files, each URL worked out once."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The manifest cannot change while a process runs, yet `{% static %}` looks the hashed name up and joins the
    URL again on every page (four times in the base layout alone): each name's URL is kept after its first use."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:  # a name missing from the manifest raises here and is never kept
            url = self._urls[name] = super().url(name)
        return url
