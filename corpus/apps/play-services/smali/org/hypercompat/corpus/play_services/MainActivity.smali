.class public Lorg/hypercompat/corpus/play_services/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# instance fields
.field private locationCallback:Lcom/google/android/gms/location/LocationCallback;

.field private locationClient:Lcom/google/android/gms/location/FusedLocationProviderClient;

.field private statusView:Landroid/widget/TextView;


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method

.method private startLocationUpdates()V
    .registers 6

    invoke-static {}, Lcom/google/android/gms/location/LocationRequest;->create()Lcom/google/android/gms/location/LocationRequest;

    move-result-object v0

    const/16 v1, 0x64    # PRIORITY_HIGH_ACCURACY

    invoke-virtual {v0, v1}, Lcom/google/android/gms/location/LocationRequest;->setPriority(I)Lcom/google/android/gms/location/LocationRequest;

    move-result-object v0

    const-wide/16 v1, 0x2710

    invoke-virtual {v0, v1, v2}, Lcom/google/android/gms/location/LocationRequest;->setInterval(J)Lcom/google/android/gms/location/LocationRequest;

    move-result-object v0

    const-wide/16 v1, 0x1388

    invoke-virtual {v0, v1, v2}, Lcom/google/android/gms/location/LocationRequest;->setFastestInterval(J)Lcom/google/android/gms/location/LocationRequest;

    move-result-object v0

    .local v0, "request":Lcom/google/android/gms/location/LocationRequest;
    iget-object v1, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->locationClient:Lcom/google/android/gms/location/FusedLocationProviderClient;

    iget-object v2, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->locationCallback:Lcom/google/android/gms/location/LocationCallback;

    invoke-static {}, Landroid/os/Looper;->getMainLooper()Landroid/os/Looper;

    move-result-object v3

    invoke-virtual {v1, v0, v2, v3}, Lcom/google/android/gms/location/FusedLocationProviderClient;->requestLocationUpdates(Lcom/google/android/gms/location/LocationRequest;Lcom/google/android/gms/location/LocationCallback;Landroid/os/Looper;)Lcom/google/android/gms/tasks/Task;

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 6
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/TextView;

    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    iput-object v0, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->statusView:Landroid/widget/TextView;

    const-string v1, "Waiting for location and FCM token..."

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/play_services/MainActivity;->setContentView(Landroid/view/View;)V

    invoke-static {p0}, Lcom/google/firebase/FirebaseApp;->initializeApp(Landroid/content/Context;)Lcom/google/firebase/FirebaseApp;

    invoke-static {p0}, Lcom/google/android/gms/location/LocationServices;->getFusedLocationProviderClient(Landroid/content/Context;)Lcom/google/android/gms/location/FusedLocationProviderClient;

    move-result-object v1

    iput-object v1, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->locationClient:Lcom/google/android/gms/location/FusedLocationProviderClient;

    new-instance v1, Lorg/hypercompat/corpus/play_services/LocationUpdates;

    invoke-direct {v1, v0}, Lorg/hypercompat/corpus/play_services/LocationUpdates;-><init>(Landroid/widget/TextView;)V

    iput-object v1, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->locationCallback:Lcom/google/android/gms/location/LocationCallback;

    const-string v1, "android.permission.ACCESS_FINE_LOCATION"

    invoke-virtual {p0, v1}, Lorg/hypercompat/corpus/play_services/MainActivity;->checkSelfPermission(Ljava/lang/String;)I

    move-result v2

    if-nez v2, :cond_0

    invoke-direct {p0}, Lorg/hypercompat/corpus/play_services/MainActivity;->startLocationUpdates()V

    goto :goto_0

    :cond_0
    const/4 v2, 0x1

    new-array v2, v2, [Ljava/lang/String;

    const/4 v3, 0x0

    aput-object v1, v2, v3

    const/16 v3, 0x2a

    invoke-virtual {p0, v2, v3}, Lorg/hypercompat/corpus/play_services/MainActivity;->requestPermissions([Ljava/lang/String;I)V

    :goto_0
    invoke-static {}, Lcom/google/firebase/messaging/FirebaseMessaging;->getInstance()Lcom/google/firebase/messaging/FirebaseMessaging;

    move-result-object v1

    invoke-virtual {v1}, Lcom/google/firebase/messaging/FirebaseMessaging;->getToken()Lcom/google/android/gms/tasks/Task;

    move-result-object v1

    new-instance v2, Lorg/hypercompat/corpus/play_services/TokenListener;

    invoke-direct {v2, v0}, Lorg/hypercompat/corpus/play_services/TokenListener;-><init>(Landroid/widget/TextView;)V

    invoke-virtual {v1, v2}, Lcom/google/android/gms/tasks/Task;->addOnSuccessListener(Lcom/google/android/gms/tasks/OnSuccessListener;)Lcom/google/android/gms/tasks/Task;

    return-void
.end method

.method protected onDestroy()V
    .registers 3

    iget-object v0, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->locationClient:Lcom/google/android/gms/location/FusedLocationProviderClient;

    if-eqz v0, :cond_0

    iget-object v1, p0, Lorg/hypercompat/corpus/play_services/MainActivity;->locationCallback:Lcom/google/android/gms/location/LocationCallback;

    invoke-virtual {v0, v1}, Lcom/google/android/gms/location/FusedLocationProviderClient;->removeLocationUpdates(Lcom/google/android/gms/location/LocationCallback;)Lcom/google/android/gms/tasks/Task;

    :cond_0
    invoke-super {p0}, Landroid/app/Activity;->onDestroy()V

    return-void
.end method

.method public onRequestPermissionsResult(I[Ljava/lang/String;[I)V
    .registers 5
    .param p1, "requestCode"    # I
    .param p2, "permissions"    # [Ljava/lang/String;
    .param p3, "grantResults"    # [I

    invoke-super {p0, p1, p2, p3}, Landroid/app/Activity;->onRequestPermissionsResult(I[Ljava/lang/String;[I)V

    const/16 v0, 0x2a

    if-ne p1, v0, :cond_0

    array-length v0, p3

    if-lez v0, :cond_0

    const/4 v0, 0x0

    aget v0, p3, v0

    if-nez v0, :cond_0

    invoke-direct {p0}, Lorg/hypercompat/corpus/play_services/MainActivity;->startLocationUpdates()V

    :cond_0
    return-void
.end method
