"""Running the Atlas as several Streamlit replicas behind nginx: the proxy's configuration and service units."""
