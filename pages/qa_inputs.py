import streamlit as st

st.title("qa_inputs")
st.info("This page is being built.")
