"""The Qt layer: the kiosk and desk client. The only package that imports PySide6."""
