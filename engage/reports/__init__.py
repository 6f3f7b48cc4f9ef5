"""The one PDF renderer of the product (WeasyPrint) and the shared PDF layout.

Features build their PDF's HTML from templates/reports/ layouts and call ``render_pdf``; nothing
else in the code base talks to WeasyPrint.
"""
