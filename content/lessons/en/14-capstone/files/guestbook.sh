# The guestbook: greets a visitor and counts the visits.
# The count is kept in /data: mount a volume there to keep it.
mkdir -p /data
echo visit >> /data/visits.txt
echo "$(head -n 1 greetings.sorted), visitor number $(wc -l < /data/visits.txt)!"
