import streamlit as st

st.title("authority_profile")
st.info("This page is being built.")
