import streamlit as st

st.title("coordinator")
st.info("This page is being built.")
