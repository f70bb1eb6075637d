"""Server side: the Flask service for discussions, submissions, feedback and progress."""
