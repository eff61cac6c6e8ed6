"""Running the app for a region: the proxy, the app servers, their health check, the runner."""
