"""What starts a refresh without anyone: the schedules."""
