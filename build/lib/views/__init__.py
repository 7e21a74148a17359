"""The screens. Named views/ rather than pages/: Streamlit serves a folder called pages/ by URL
before st.navigation has run, which can bypass the login (see README)."""
