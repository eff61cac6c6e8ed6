import streamlit as st

st.title("caseloads")
st.info("This page is being built.")
