import streamlit as st

st.title("combined_vs_separate")
st.info("This page is being built.")
