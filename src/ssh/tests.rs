//! Tests of the SSH server with a real OpenSSH client.
