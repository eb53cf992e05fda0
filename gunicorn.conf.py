"""gunicorn's settings, read from its working directory (the project's root) without any option: the
README's command `gunicorn config.wsgi --workers 3 --bind …` uses them as it is."""


def post_worker_init(worker):
    """Each worker warms up (views, templates, fonts, QPV index) before it serves its first request."""
    from config.prechauffage import prechauffer

    prechauffer(signe_de_vie=worker.notify)
