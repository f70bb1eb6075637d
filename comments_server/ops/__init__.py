"""Operations: the server's commands (serve, worker, migrate, roster, users, export, backup), the demo seed."""
