import rules


@rules.predicate
def is_job_owner(user, job) -> bool:
    """A job and its file belong to the user who asked for it, in that organisation."""
    return job is not None and job.owner_id == getattr(user, "pk", None)


rules.add_perm("jobs.view_job", is_job_owner)
