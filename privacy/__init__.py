"""Personal data under the AVG: retention, anonymisation, a person's request, the access log."""
