"""Data: the data owner imports files, sees the import history (and rolls a batch back), and how
fresh each source is per school."""

import streamlit as st

from components import backup_sections, navigation, plain, setup_checklist
from components import import_sections as sections
from components.filters import screen_user
from components.session import runner

user = screen_user("data")
st.title(f"{navigation.screen('data').title} · import og friskhed")
st.caption(
    "Filer kontrolleres helt, før noget skrives. En import er én transaktion: alt eller intet. "
    "Den samme fil to gange ændrer intet; en rettet fil for samme skole og skoleår erstatter de gamle rækker, "
    "og en tilbagerulning lægger dem tilbage. Et elevregister, der ville fjerne elever med data, afvises, "
    "medmindre det importeres som erstatning. CPR-numre afvises altid."
)
for message in st.session_state.pop("import_done", []):
    st.success(plain.md(message))

setup_checklist.on_data_screen(runner())
st.header("Importér")
sections.upload_and_import(runner(), user.username)
st.header("Importhistorik")
sections.history(runner(), user.scope, user.username)
st.header("Friskhed pr. kilde og skole")
sections.freshness(runner(), user.scope)
st.header("Sikkerhedskopi")
backup_sections.backup_section(runner(), user.username)
