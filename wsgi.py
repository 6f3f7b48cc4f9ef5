from engage import create_app

app = create_app()
