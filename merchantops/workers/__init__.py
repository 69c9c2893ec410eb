"""Background work: the job registry, the outbox relay, and the two ways to run jobs.

With `REDIS_URL` set, jobs go through arq (`merchantops worker` runs them); without it, the
same job functions and schedule run inside the API process. Only this package knows arq.
"""
