"""Background jobs: status and progress, the dead-letter list, replay."""
