"""The household register: jurisdiction tree, compounds, buildings, entrances, households, owners."""
