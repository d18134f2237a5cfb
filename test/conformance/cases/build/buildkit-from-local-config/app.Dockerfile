FROM localhost:5000/base
RUN cat /hi
