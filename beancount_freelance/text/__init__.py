"""Words shared by the faces: sentences and labels the CLI and page both show."""
