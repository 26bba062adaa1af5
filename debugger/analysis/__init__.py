"""What the debugger says about a token: report, findings, weak secrets, hints, key details."""
