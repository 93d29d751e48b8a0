"""A real Home Assistant with the integration, against the simulator: the demo and its tools.

``python -m demo`` (what ``scripts/develop`` runs) starts the simulator and a Home Assistant
process, onboards a user, adds the four demo accounts through the config flow's HTTP API, and
serves until stopped. The end-to-end test drives the same pieces.
"""
